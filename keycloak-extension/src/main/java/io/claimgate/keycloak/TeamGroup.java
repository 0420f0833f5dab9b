package io.claimgate.keycloak;

import java.util.Objects;

/** A team of the user: its id as the gateway knows it, and the group it comes from. */
public record TeamGroup(String id, GroupMembership group) {

    public TeamGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
    }
}
