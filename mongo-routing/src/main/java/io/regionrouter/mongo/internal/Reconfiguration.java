package io.regionrouter.mongo.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * Turns a replica set's current configuration into the sequence of configurations that reach a
 * wanted member list under MongoDB's rules for a reconfiguration without {@code force}: each
 * configuration's version is one above the previous, and each changes the set of voting members by
 * at most one. Members are matched by host; a member keeps its {@code _id}, new members get ids above
 * the largest in use, and fields the plan does not set (such as {@code buildIndexes}) are kept.
 *
 * <p>The first step makes every change that does not touch a vote: tags, priorities, hidden and
 * delay settings, non-voting members added or removed, and priority 0 for voters about to lose their
 * vote (so that the primary moves before they go). Then one step per voting change, adding voters
 * before removing others so that the set never has fewer votes than needed, except where the limit
 * of 7 voters forces a removal first. Stateless.
 */
public final class Reconfiguration {

    private static final int MAX_VOTERS = 7;

    private Reconfiguration() {
    }

    /**
     * The configurations to apply, in order.
     *
     * @param current the set's configuration from {@code replSetGetConfig}
     * @param wanted the wanted members, each with {@code host}, {@code priority}, {@code votes} and
     *     {@code tags}, and optionally {@code hidden} and {@code secondaryDelaySecs}; their {@code _id}
     *     is ignored
     * @return the configurations, each for one {@code replSetReconfig}; empty if none is needed
     * @throws IllegalStateException if an arbiter would have to become a data-bearing member in place
     */
    public static List<Document> steps(Document current, List<Document> wanted) {
        List<Document> currentMembers = current.getList("members", Document.class);
        Map<String, Document> now = new LinkedHashMap<>();
        int nextId = 0;
        for (Document m : currentMembers) {
            now.put(key(m), m);
            nextId = Math.max(nextId, ((Number) m.get("_id")).intValue() + 1);
        }
        Map<String, Document> target = new LinkedHashMap<>();
        for (Document w : wanted) {
            Document existing = now.get(key(w));
            if (existing != null && Boolean.TRUE.equals(existing.get("arbiterOnly"))) {
                throw new IllegalStateException("member " + w.get("host") + " is an arbiter in the set; remove it from the set"
                        + " before adding it back as a data-bearing member");
            }
            Document merged = existing == null ? new Document("_id", nextId++) : new Document(existing);
            w.forEach((k, v) -> {
                if (!k.equals("_id")) {
                    merged.put(k, v);
                }
            });
            if (!w.containsKey("hidden")) {
                merged.remove("hidden");
            }
            if (!w.containsKey("secondaryDelaySecs")) {
                merged.remove("secondaryDelaySecs");
                merged.remove("slaveDelay");
            }
            target.put(key(w), merged);
        }

        // step 1: every change that leaves voting membership as it is
        List<Document> first = new ArrayList<>();
        List<String> gainVote = new ArrayList<>();
        List<String> loseVote = new ArrayList<>();
        for (Map.Entry<String, Document> e : now.entrySet()) {
            Document t = target.get(e.getKey());
            boolean votesNow = votes(e.getValue());
            if (t == null) {
                if (votesNow) {
                    loseVote.add(e.getKey());
                    first.add(withPriorityZero(e.getValue()));
                }
            } else if (votesNow == votes(t)) {
                first.add(t);
            } else if (votesNow) {
                loseVote.add(e.getKey());
                first.add(new Document(t).append("votes", 1).append("priority", 0));
            } else {
                gainVote.add(e.getKey());
                first.add(new Document(t).append("votes", 0).append("priority", 0));
            }
        }
        for (Map.Entry<String, Document> e : target.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                if (votes(e.getValue())) {
                    gainVote.add(e.getKey());
                } else {
                    first.add(e.getValue());
                }
            }
        }

        if (first.stream().noneMatch(Reconfiguration::electable)) {
            // MongoDB refuses a configuration without an electable member: leaving voters keep their
            // priority until the new voters are in
            first.replaceAll(m -> loseVote.contains(key(m)) ? now.get(key(m)) : m);
        }

        List<Document> steps = new ArrayList<>();
        int version = ((Number) current.get("version")).intValue();
        List<Document> members = first;
        if (!sameMembers(currentMembers, members)) {
            steps.add(config(current, ++version, members));
        }
        int voters = (int) members.stream().filter(Reconfiguration::votes).count();
        while (!gainVote.isEmpty() || !loseVote.isEmpty()) {
            boolean add = !gainVote.isEmpty() && (voters < MAX_VOTERS || loseVote.isEmpty());
            String host = add ? gainVote.remove(0) : loseVote.remove(0);
            members = add ? withMember(members, target.get(host)) : withoutVote(members, host, target.get(host));
            voters += add ? 1 : -1;
            steps.add(config(current, ++version, members));
        }
        return steps;
    }

    private static String key(Document member) {
        return String.valueOf(member.get("host")).toLowerCase(Locale.ROOT);
    }

    private static boolean votes(Document member) {
        Object v = member.get("votes");
        return v == null || ((Number) v).intValue() > 0;
    }

    private static boolean electable(Document member) {
        Object priority = member.get("priority");
        return votes(member) && !Boolean.TRUE.equals(member.get("arbiterOnly"))
                && (priority == null || ((Number) priority).doubleValue() > 0);
    }

    private static Document withPriorityZero(Document member) {
        return new Document(member).append("priority", 0);
    }

    private static List<Document> withMember(List<Document> members, Document member) {
        List<Document> out = new ArrayList<>();
        boolean replaced = false;
        for (Document m : members) {
            if (key(m).equals(key(member))) {
                out.add(member);
                replaced = true;
            } else {
                out.add(m);
            }
        }
        if (!replaced) {
            out.add(member);
        }
        return out;
    }

    private static List<Document> withoutVote(List<Document> members, String host, Document target) {
        List<Document> out = new ArrayList<>();
        for (Document m : members) {
            if (!key(m).equals(host)) {
                out.add(m);
            } else if (target != null) {
                out.add(target);
            }
        }
        return out;
    }

    private static Document config(Document current, int version, List<Document> members) {
        Document config = new Document(current);
        config.put("version", version);
        config.put("members", List.copyOf(members));
        return config;
    }

    private static boolean sameMembers(List<Document> a, List<Document> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Map<String, Document> byHost = new LinkedHashMap<>();
        a.forEach(m -> byHost.put(key(m), normalized(m)));
        for (Document m : b) {
            if (!Objects.equals(byHost.get(key(m)), normalized(m))) {
                return false;
            }
        }
        return true;
    }

    /** A member with MongoDB's defaults filled in and numbers compared as numbers. */
    private static Document normalized(Document m) {
        Document n = new Document();
        n.put("_id", ((Number) m.get("_id")).intValue());
        n.put("host", key(m));
        n.put("arbiterOnly", Boolean.TRUE.equals(m.get("arbiterOnly")));
        n.put("buildIndexes", !Boolean.FALSE.equals(m.get("buildIndexes")));
        n.put("hidden", Boolean.TRUE.equals(m.get("hidden")));
        n.put("priority", m.get("priority") == null ? 1.0 : ((Number) m.get("priority")).doubleValue());
        n.put("votes", votes(m) ? 1 : 0);
        Object delay = m.get("secondaryDelaySecs") != null ? m.get("secondaryDelaySecs") : m.get("slaveDelay");
        n.put("secondaryDelaySecs", delay == null ? 0L : ((Number) delay).longValue());
        Object tags = m.get("tags");
        n.put("tags", tags == null ? new Document() : tags);
        return n;
    }
}
