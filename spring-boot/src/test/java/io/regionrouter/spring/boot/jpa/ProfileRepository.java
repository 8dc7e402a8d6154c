package io.regionrouter.spring.boot.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** Profiles through Spring Data JPA. */
public interface ProfileRepository extends JpaRepository<ProfileEntity, String> {
}
