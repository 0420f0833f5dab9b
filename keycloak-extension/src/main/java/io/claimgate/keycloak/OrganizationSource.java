package io.claimgate.keycloak;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where {@code org_id} comes from: the {@code org.source} setting. */
public enum OrganizationSource {

    /** The {@code org.attribute} of the active team's group, else of the user. */
    ATTRIBUTE,
    /** The user's Keycloak organization membership (Keycloak 26 Organizations). */
    ORGANIZATION;

    /** The setting's value as written in the config: lower case. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<OrganizationSource> fromConfig(String value) {
        return Arrays.stream(values()).filter(source -> source.configValue().equals(value)).findFirst();
    }
}
