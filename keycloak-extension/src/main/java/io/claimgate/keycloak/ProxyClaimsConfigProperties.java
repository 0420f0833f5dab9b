package io.claimgate.keycloak;

import io.claimgate.model.ClaimNames;
import java.util.Arrays;
import java.util.List;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The mapper's own config keys, declared once: name, label, help text and default. {@link ProxyClaimsConfig} is the
 * only reader of their values; Keycloak's "include in ..." switches come from {@code OIDCAttributeMapperHelper}.
 */
public final class ProxyClaimsConfigProperties {

    public static final String TEAMS_GROUP_PATH = "teams.group.path";
    public static final String TEAMS_ACTIVE_ATTRIBUTE = "teams.active.attribute";
    public static final String TEAMS_MAX = "teams.max";
    public static final String ROLES_CLIENT = "roles.client";
    public static final String ADMIN_ROLE = "admin.role";
    public static final String ADMIN_SCOPE = "admin.scope";
    public static final String SCOPES_ATTRIBUTE = "scopes.attribute";
    public static final String ORG_ATTRIBUTE = "org.attribute";
    public static final String ORG_SOURCE = "org.source";
    public static final String ORG_VALUE = "org.value";
    public static final String CLAIM_TEAM_ID = "claim.team_id";
    public static final String CLAIM_TEAM_IDS = "claim.team_ids";
    public static final String CLAIM_ROLES = "claim.roles";
    public static final String CLAIM_ORG_ID = "claim.org_id";

    public static final String DEFAULT_TEAMS_GROUP_PATH = "/teams";
    public static final String DEFAULT_TEAMS_ACTIVE_ATTRIBUTE = "team_id";
    public static final int DEFAULT_TEAMS_MAX = 100;
    public static final String DEFAULT_ADMIN_ROLE = "proxy-admin";
    public static final String DEFAULT_ADMIN_SCOPE = ClaimNames.DEFAULT_ADMIN_SCOPE;
    public static final String DEFAULT_SCOPES_ATTRIBUTE = "llm_scopes";
    public static final String DEFAULT_ORG_ATTRIBUTE = "org_id";
    public static final OrganizationSource DEFAULT_ORG_SOURCE = OrganizationSource.ATTRIBUTE;
    public static final OrganizationValue DEFAULT_ORG_VALUE = OrganizationValue.ALIAS;

    /** The group attribute that gives a team group an id other than its name; fixed so that all realms agree. */
    public static final String GROUP_TEAM_ID_ATTRIBUTE = "team_id";

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property(string(TEAMS_GROUP_PATH, "Teams group path",
                    "Groups at or below this path are the user's teams, e.g. /teams/research. Must start with '/'.",
                    DEFAULT_TEAMS_GROUP_PATH))
            .property(string(TEAMS_ACTIVE_ATTRIBUTE, "Active team user attribute",
                    "User attribute naming the active team; used when it is one of the user's teams. Otherwise the"
                            + " only team of a user with exactly one team is the active team.",
                    DEFAULT_TEAMS_ACTIVE_ATTRIBUTE))
            .property(string(TEAMS_MAX, "Maximum teams in the token",
                    "When the user has more teams, the team ids claim is left out and '<claim>_overage: true' is"
                            + " written instead. At least 1.",
                    Integer.toString(DEFAULT_TEAMS_MAX)))
            .property(string(ROLES_CLIENT, "Client whose roles are added",
                    "Client id whose effective client roles are added to the roles claim. Empty: realm roles only.",
                    null))
            .property(string(ADMIN_ROLE, "Admin realm role",
                    "Users holding this realm role get the admin scope appended to 'scope'; nobody else has it.",
                    DEFAULT_ADMIN_ROLE))
            .property(string(ADMIN_SCOPE, "Admin scope",
                    "The gateway's admin_jwt_scope: in 'scope' if and only if the user holds the admin role. Never"
                            + " taken from attributes, and removed for everyone else even when a client scope of this"
                            + " name was requested.",
                    DEFAULT_ADMIN_SCOPE))
            .property(string(SCOPES_ATTRIBUTE, "Scopes attribute",
                    "Multi-valued attribute on the user and on the user's team groups whose values are appended to"
                            + " 'scope'. Values that are not one OAuth scope token (e.g. holding a space) are"
                            + " dropped.", DEFAULT_SCOPES_ATTRIBUTE))
            .property(string(ORG_ATTRIBUTE, "Organization attribute",
                    "Attribute of the active team group, else of the user, that gives the organization id.",
                    DEFAULT_ORG_ATTRIBUTE))
            .property(list(ORG_SOURCE, "Organization source",
                    "'attribute': the organization attribute of the active team, else of the user. 'organization':"
                            + " the user's Keycloak organization: the one signed in through or requested with the"
                            + " organization:<alias> scope, else the user's only one; none when several are possible.",
                    DEFAULT_ORG_SOURCE.configValue(),
                    Arrays.stream(OrganizationSource.values()).map(OrganizationSource::configValue).toList()))
            .property(list(ORG_VALUE, "Organization value",
                    "With source 'organization': write the organization's alias or its id.",
                    DEFAULT_ORG_VALUE.configValue(),
                    Arrays.stream(OrganizationValue.values()).map(OrganizationValue::configValue).toList()))
            .property(string(CLAIM_TEAM_ID, "Active team claim", "Claim name of the active team id.",
                    ClaimNames.TEAM_ID))
            .property(string(CLAIM_TEAM_IDS, "Team ids claim", "Claim name of the sorted list of team ids.",
                    ClaimNames.TEAM_IDS))
            .property(string(CLAIM_ROLES, "Roles claim", "Claim name of the list of effective roles.",
                    ClaimNames.ROLES))
            .property(string(CLAIM_ORG_ID, "Organization claim", "Claim name of the organization id.",
                    ClaimNames.ORG_ID))
            .build();

    private ProxyClaimsConfigProperties() {
    }

    /** The mapper's own properties, in the order the admin console shows them. */
    public static List<ProviderConfigProperty> properties() {
        return PROPERTIES;
    }

    private static ProviderConfigProperty list(String name, String label, String help, String defaultValue,
                                               List<String> options) {
        ProviderConfigProperty property = new ProviderConfigProperty(name, label, help,
                ProviderConfigProperty.LIST_TYPE, defaultValue);
        property.setOptions(options);
        return property;
    }

    private static ProviderConfigProperty string(String name, String label, String help, String defaultValue) {
        return new ProviderConfigProperty(name, label, help, ProviderConfigProperty.STRING_TYPE, defaultValue);
    }
}
