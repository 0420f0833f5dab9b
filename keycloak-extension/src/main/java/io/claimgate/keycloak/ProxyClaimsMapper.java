package io.claimgate.keycloak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.ProtocolMapperUtils;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;
import org.keycloak.utils.RoleResolveUtil;

/**
 * Keycloak plumbing for Claimgate's claims: reads the user, groups and resolved roles from Keycloak's models, lets
 * {@link ProxyClaimsResolver} decide, and writes {@code team_id}, {@code team_ids}, {@code roles}, {@code org_id} and
 * the appended {@code scope}.
 */
public final class ProxyClaimsMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper,
        OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "claimgate-proxy-claims";

    /** Not in Keycloak's message bundle, so Keycloak shows our own message; the key keeps its 400 path working. */
    static final String INVALID_CONFIG_MESSAGE_KEY = "claimgateInvalidMapperConfig";

    private static final Logger LOG = Logger.getLogger(ProxyClaimsMapper.class);

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = configProperties();

    private static List<ProviderConfigProperty> configProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>(ProxyClaimsConfigProperties.properties());
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, ProxyClaimsMapper.class);
        return List.copyOf(properties);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Claimgate LLM proxy claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Writes the LLM gateway's team_id, team_ids, roles and org_id claims, and appends the admin scope (for"
                + " holders of the admin role only) and the users' and teams' scopes to 'scope'.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }

    /**
     * The role mappers' priority: we read the roles Keycloak resolved for this client, which the role-name (10) and
     * hardcoded-role (20) mappers change first, so we must run after them; scope appends do not depend on others.
     */
    @Override
    public int getPriority() {
        return ProtocolMapperUtils.PRIORITY_ROLE_MAPPER;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        String version = ProxyClaimsMapper.class.getPackage().getImplementationVersion();
        return Map.of("Version", version == null ? "development" : version);
    }

    /** Refuses a config that cannot work, so that the admin API answers 400 with the reasons instead of a 500. */
    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        List<String> problems = ProxyClaimsConfig.problems(mapperModel.getConfig());
        if (!problems.isEmpty()) {
            throw new ProtocolMapperConfigException("Invalid Claimgate mapper config: " + String.join("; ", problems),
                    INVALID_CONFIG_MESSAGE_KEY);
        }
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        Map<String, String> rawConfig = mappingModel.getConfig();
        List<String> problems = ProxyClaimsConfig.problems(rawConfig);
        if (!problems.isEmpty()) {
            // A realm import skips validateConfig. Writing nothing fails closed: no admin scope, no team.
            LOG.warnf("Claimgate mapper '%s' has an invalid config and writes no claims: %s",
                    mappingModel.getName(), String.join("; ", problems));
            return;
        }
        ProxyClaimsConfig config = ProxyClaimsConfig.of(rawConfig);
        Subject subject = subject(userSession, session, clientSessionCtx, config);
        ProxyClaims claims = ProxyClaimsResolver.resolve(config, subject);

        claims.teamId().ifPresent(id -> writeClaim(token, config.claimTeamId(), id, false));
        if (claims.teamIdsOverage()) {
            writeClaim(token, config.claimTeamIdsOverage(), Boolean.TRUE, false);
        } else {
            writeClaim(token, config.claimTeamIds(), claims.teamIds(), true);
        }
        writeClaim(token, config.claimRoles(), claims.roles(), true);
        claims.orgId().ifPresent(org -> writeClaim(token, config.claimOrgId(), org, false));
        // ID tokens carry no scope; access, userinfo and introspection tokens do.
        if (token instanceof AccessToken accessToken) {
            accessToken.setScope(ScopeMerger.merge(accessToken.getScope(), config.adminScope(), claims.admin(),
                    claims.attributeScopes()));
        }
    }

    /**
     * Keycloak's own step (claims and scope when {@code access.token.claim} is on, and the token is not a lightweight
     * one the mapper stays out of), then the admin scope withheld from a non-admin in every case: a client scope named
     * like the admin scope must not make anyone an admin because a switch is off.
     */
    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mappingModel,
                                            KeycloakSession session, UserSessionModel userSession,
                                            ClientSessionContext clientSessionCtx) {
        AccessToken mapped = super.transformAccessToken(token, mappingModel, session, userSession, clientSessionCtx);
        withholdAdminScope(mapped, mappingModel, session, clientSessionCtx);
        return mapped;
    }

    /** As for access tokens: introspection answers the same scope, and follows a role revoked since issue. */
    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel mappingModel,
                                                   KeycloakSession session, UserSessionModel userSession,
                                                   ClientSessionContext clientSessionCtx) {
        AccessToken mapped = super.transformIntrospectionToken(token, mappingModel, session, userSession,
                clientSessionCtx);
        withholdAdminScope(mapped, mappingModel, session, clientSessionCtx);
        return mapped;
    }

    private static void withholdAdminScope(AccessToken token, ProtocolMapperModel mappingModel,
                                           KeycloakSession session, ClientSessionContext clientSessionCtx) {
        Map<String, String> rawConfig = mappingModel.getConfig();
        ProxyClaimsConfig config = ProxyClaimsConfig.of(rawConfig);
        if (!ProxyClaimsConfig.problems(rawConfig).isEmpty()) {
            // Fail closed: nobody is an admin under a config we cannot trust; withhold every word it names.
            String scope = token.getScope();
            for (String adminScope : config.adminScope().split("\\s+")) {
                scope = ScopeMerger.withhold(scope, adminScope, false);
            }
            token.setScope(scope);
            return;
        }
        boolean admin = ProxyClaimsResolver.isAdmin(config, resolvedRealmRoles(session, clientSessionCtx));
        token.setScope(ScopeMerger.withhold(token.getScope(), config.adminScope(), admin));
    }

    private static Subject subject(UserSessionModel userSession, KeycloakSession session,
                                   ClientSessionContext clientSessionCtx, ProxyClaimsConfig config) {
        UserModel user = userSession.getUser();
        List<GroupMembership> groups = user.getGroupsStream()
                .map(group -> new GroupMembership(KeycloakModelUtils.buildGroupPath(group), group.getName(),
                        group.getAttributes()))
                .toList();
        // RoleResolveUtil gives the roles as the roles claim would: composites, group roles, client role scope.
        Set<String> realmRoles = resolvedRealmRoles(session, clientSessionCtx);
        Set<String> clientRoles = config.rolesClient()
                .map(clientId -> rolesOf(RoleResolveUtil.getResolvedClientRoles(session, clientSessionCtx, clientId,
                        false)))
                .orElse(Set.of());
        RealmModel realm = userSession.getRealm();
        String defaultRole = realm.getDefaultRole() == null
                ? "default-roles-" + realm.getName().toLowerCase(Locale.ROOT)
                : realm.getDefaultRole().getName();
        return new Subject(defaultRole, user.getAttributes(), groups, realmRoles, clientRoles,
                config.orgSource() == OrganizationSource.ORGANIZATION
                        ? organizations(session, user, clientSessionCtx)
                        : OrganizationContext.NONE);
    }

    /**
     * The user's enabled organizations, the one signed in through (the client session note Keycloak's own
     * organization membership mapper reads), and the granted scopes that may name one; nothing when the realm has
     * organizations disabled.
     */
    private static OrganizationContext organizations(KeycloakSession session, UserModel user,
                                                     ClientSessionContext clientSessionCtx) {
        OrganizationProvider provider = session.getProvider(OrganizationProvider.class);
        if (provider == null || !provider.isEnabled()) {
            return OrganizationContext.NONE;
        }
        List<OrganizationMembership> memberships = provider.getByMember(user)
                .filter(OrganizationModel::isEnabled)
                .map(organization -> new OrganizationMembership(organization.getId(), organization.getAlias()))
                .toList();
        Optional<String> signedInId = Optional.ofNullable(clientSessionCtx.getClientSession())
                .map(clientSession -> clientSession.getNote(OrganizationModel.ORGANIZATION_ATTRIBUTE));
        String scope = clientSessionCtx.getScopeString();
        List<String> grantedScopes = scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
        return new OrganizationContext(memberships, signedInId, grantedScopes);
    }

    private static Set<String> resolvedRealmRoles(KeycloakSession session, ClientSessionContext clientSessionCtx) {
        return rolesOf(RoleResolveUtil.getResolvedRealmRoles(session, clientSessionCtx, false));
    }

    private static Set<String> rolesOf(AccessToken.Access access) {
        return Optional.ofNullable(access).map(AccessToken.Access::getRoles).map(Set::copyOf).orElse(Set.of());
    }

    /** Through Keycloak's own claim writer, so that dotted names nest the way every other mapper's do. */
    private static void writeClaim(IDToken token, String claimName, Object value, boolean multivalued) {
        ProtocolMapperModel claim = new ProtocolMapperModel();
        claim.setConfig(Map.of(
                OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME, claimName,
                ProtocolMapperUtils.MULTIVALUED, Boolean.toString(multivalued)));
        OIDCAttributeMapperHelper.mapClaim(token, claim, value);
    }
}
