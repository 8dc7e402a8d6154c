package io.regionrouter.spring.boot.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the residency table {@code profiles}; a user has one profile, in the home region. */
@Entity
@Table(name = "profiles")
public class ProfileEntity {

    @Id
    @Column(name = "user_id")
    private String userId;

    private String region;

    private String name;

    protected ProfileEntity() {
    }

    public ProfileEntity(String userId, String region, String name) {
        this.userId = userId;
        this.region = region;
        this.name = name;
    }

    public String getName() {
        return name;
    }
}
