package io.claimgate.keycloak;

import java.util.Objects;

/** One enabled Keycloak organization the user is a member of, as plain data. */
public record OrganizationMembership(String id, String alias) {

    public OrganizationMembership {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(alias, "alias");
    }
}
