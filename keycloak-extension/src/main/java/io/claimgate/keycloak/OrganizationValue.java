package io.claimgate.keycloak;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which value of a Keycloak organization {@code org_id} carries: the {@code org.value} setting. */
public enum OrganizationValue {

    /** The organization's alias: stable, readable, what Keycloak's own {@code organization} claim uses. */
    ALIAS,
    /** The organization's internal id (a UUID). */
    ID;

    /** The setting's value as written in the config: lower case. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This value of the organization. */
    public String of(OrganizationMembership organization) {
        return this == ID ? organization.id() : organization.alias();
    }

    static Optional<OrganizationValue> fromConfig(String value) {
        return Arrays.stream(values()).filter(v -> v.configValue().equals(value)).findFirst();
    }
}
