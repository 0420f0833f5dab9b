package io.claimgate.validator;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ClaimFields;
import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.IssuerSettings;
import io.claimgate.model.KeySourceSettings;
import io.claimgate.model.TokenRules;
import io.claimgate.model.EndUser;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.SettingsException;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.KnownTokens.KnownToken;
import io.claimgate.validator.access.AccessGrant;
import io.claimgate.validator.access.AccessPolicy;
import io.claimgate.validator.access.CommonChecks;
import io.claimgate.validator.access.CustomValidator;
import io.claimgate.validator.access.MemberBudget;
import io.claimgate.validator.access.ModelCatalogue;
import io.claimgate.validator.access.RoleAndTeamSync;
import io.claimgate.validator.access.RoleResolution;
import io.claimgate.validator.access.RoleResolver;
import io.claimgate.validator.access.TeamChoice;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.validator.claims.TokenClaims;
import io.claimgate.validator.crypto.SignatureProviders;
import io.claimgate.validator.store.Directory;
import io.claimgate.validator.token.IssuerChoice;
import io.claimgate.validator.token.JwksKeySource;
import io.claimgate.validator.token.KeySource;
import io.claimgate.validator.token.TokenVerifier;
import io.claimgate.validator.token.VerifiedToken;
import java.security.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiteLLM's JWT auth as one thread-safe pipeline, in the order of LiteLLM's {@code auth_builder}:
 *
 * <ol>
 *   <li>verify the token ({@link TokenVerifier}), remembered until it expires ({@link KnownTokens});</li>
 *   <li>read its claims ({@link ClaimReader}) and resolve its role ({@link RoleResolver});</li>
 *   <li>route policy ({@link AccessPolicy#authorizeRoute}), before the body is read;</li>
 *   <li>model policy ({@link AccessPolicy#authorizeModel}) for every model the request may use;</li>
 *   <li>team choice from the token ({@link TeamChoice#choose});</li>
 *   <li>the objects: organization, user, end user ({@link Directory}), and the team fallbacks over the user's
 *       database teams ({@link TeamChoice#settle});</li>
 *   <li>the checks on them ({@link CommonChecks}), then the caller's own budget in the team
 *   ({@link MemberBudget}).</li>
 * </ol>
 * Each stage is a class of its own; this one only wires them and carries a request through.
 */
public final class ProxyAuthenticator implements Authenticator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyAuthenticator.class);

    private final JwtAuthSettings settings;
    private final KnownTokens tokens;
    private final AccessPolicy policy;
    private final Directory directory;
    /** The key sources this authenticator created, closed with it; those passed in stay open. */
    private final List<KeySource> ownedKeySources = new ArrayList<>();
    private final ModelCatalogue catalogue;
    private final DefaultUserParams defaultUserParams;
    private final RoleResolver roleResolver;

    private ProxyAuthenticator(Builder builder) {
        settings = builder.settings;
        directory = Objects.requireNonNull(builder.directory, "directory");
        defaultUserParams = builder.defaultUserParams;
        catalogue = builder.modelCatalogue;
        // Every stage that can refuse the settings is built before a key source starts its background refresh.
        roleResolver = new RoleResolver(settings.roles());
        policy = new AccessPolicy(settings.access(), customValidator(builder));
        Provider provider = builder.provider != null ? builder.provider
                : SignatureProviders.configured().provider().orElse(null);
        Function<String, TrustedIssuer> issuerOf;
        try {
            issuerOf = issuers(builder, provider);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        tokens = new KnownTokens(token -> {
            TrustedIssuer issuer = issuerOf.apply(token);
            VerifiedToken verified = issuer.verifier().verify(token);
            TokenClaims claims = issuer.claims().read(verified.claims());
            return new KnownToken(verified, claims, roleResolver.resolve(claims), issuer);
        }, settings.token().leeway().toSeconds(), builder.tokenCacheSize, builder.clock);
        if (!settings.ignoredKeys().isEmpty()) {
            LOG.warn("litellm_jwtauth keys accepted but not acted on by Claimgate: {}", settings.ignoredKeys());
        }
    }

    /**
     * Which issuer verifies a token. Without {@code issuers}, the one global issuer, without looking at the token.
     * With them, {@link IssuerChoice} reads the unverified {@code iss} to pick the entry; the global key source, if
     * any, serves the rest, as in LiteLLM.
     */
    private Function<String, TrustedIssuer> issuers(Builder builder, Provider provider) {
        KeySourceSettings keys = settings.keySource();
        KeySource globalKeys = builder.keySource;
        if (globalKeys == null && (!keys.publicKeyUrls().isEmpty() || keys.issuers().isEmpty())) {
            // No URL and no issuer: JwksKeySource refuses to start, naming JWT_PUBLIC_KEY_URL.
            globalKeys = owned(new JwksKeySource(keys));
        }
        TrustedIssuer global = globalKeys == null ? null
                : trusted(settings.token(), settings.claims(), globalKeys, provider, builder.clock);
        if (keys.issuers().isEmpty()) {
            return token -> global;
        }
        Map<String, TrustedIssuer> byIssuer = new HashMap<>();
        for (IssuerSettings issuer : keys.issuers()) {
            KeySource source = builder.issuerKeySources.get(issuer.issuer());
            if (source == null) {
                source = owned(new JwksKeySource(issuer.keySource(keys)));
            }
            byIssuer.put(issuer.issuer(), trusted(issuer.tokenRules(settings.token()),
                    issuer.claims(settings.claims()), source, provider, builder.clock));
        }
        IssuerChoice<TrustedIssuer> choice = new IssuerChoice<>(byIssuer, global,
                settings.token().maxTokenLength());
        return choice::choose;
    }

    private TrustedIssuer trusted(TokenRules rules, ClaimFields fields, KeySource keys, Provider provider,
                                  Clock clock) {
        return new TrustedIssuer(new TokenVerifier(rules, keys, provider, clock), new ClaimReader(fields),
                new TeamChoice(fields, policy, directory::team, directory::teamByAlias, catalogue), keys);
    }

    private KeySource owned(KeySource source) {
        ownedKeySources.add(source);
        return source;
    }

    /** The builder's validator, else the one {@code custom_validate} names; both at once would hide one of them. */
    private static CustomValidator customValidator(Builder builder) {
        String named = builder.settings.access().customValidate();
        if (named == null) {
            return builder.customValidator;
        }
        if (builder.customValidator != null) {
            throw new SettingsException("litellm_jwtauth.custom_validate", "is set and a CustomValidator was also "
                    + "given to the builder; use one of them");
        }
        return CustomValidator.load(named);
    }

    /** Starts a builder for these settings. */
    public static Builder builder(JwtAuthSettings settings) {
        return new Builder(settings);
    }

    @Override
    public Caller identify(String token, String route) {
        if (token == null || token.isEmpty()) {
            if (policy.isPublicRoute(route)) {
                return Caller.decided(AuthResult.anonymous());
            }
            throw AuthException.unauthorized("missing_token", "No api key passed in.");
        }
        KnownToken known = tokens.get(token);
        KnownToken storedAdmin = storedAdmin(known, route);
        AccessGrant grant;
        if (storedAdmin != null) {
            known = storedAdmin;
            grant = known.role().isProxyAdmin() ? AccessGrant.PROXY_ADMIN : AccessGrant.VIEWER;
        } else {
            grant = policy.authorizeRoute(known.claims(), known.role(), route);
        }
        if (grant == AccessGrant.PUBLIC) {
            return Caller.decided(AuthResult.anonymous());
        }
        if (grant == AccessGrant.PROXY_ADMIN && !policy.limitsModels(known.role())) {
            // LiteLLM's check_admin_access: an admin on an admin route is done, without objects or budgets; but only
            // when no role permission or scope mapping could still refuse a model the body names.
            return Caller.decided(admin(known));
        }
        if (grant == AccessGrant.VIEWER && !policy.limitsModels(known.role())) {
            // A viewer's read spends nothing: like an admin's, it is decided without objects or budgets.
            return Caller.decided(viewer(known));
        }
        return new PendingCaller(known, grant, route);
    }

    @Override
    public AuthResult authorize(Caller caller, AuthRequest request) {
        if (caller.decided().isPresent()) {
            return caller.decided().get();
        }
        if (!(caller instanceof PendingCaller pending)) {
            throw new IllegalArgumentException("caller was not identified by this authenticator");
        }
        if (!pending.route().equals(request.route())) {
            // The route stage ran for the identified route only; another one would pass unchecked.
            throw new IllegalArgumentException("authorize must get the route identify checked");
        }
        KnownToken token = pending.token();
        TokenClaims claims = token.claims();
        for (String model : request.models()) {
            policy.authorizeModel(claims, token.role(), model);
        }
        if (pending.grant() == AccessGrant.PROXY_ADMIN) {
            return admin(token);
        }
        if (pending.grant() == AccessGrant.VIEWER) {
            return viewer(token);
        }

        String route = request.route();
        String userId = userId(token);
        TeamChoice teamChoice = token.issuer().teams();
        TeamChoice.Choice choice = teamChoice.choose(claims, token.role(), request.requestedTeamId(), request.models(),
                route);
        Organization org = organization(claims, choice.team());
        User user = user(userId, claims.trustedEmail());
        if (settings.roles().syncUserRoleAndTeams()) {
            // LiteLLM syncs the user's role and teams before its fallbacks read the user's database teams.
            user = synced(user, claims);
        }
        Team team = teamChoice.settle(choice, user, request.models(), route);
        if (org == null && team != choice.team()) {
            // A team taken from the user's database teams brings its organization, as a token's team does.
            org = organization(claims, team);
        }
        String endUserId = claims.endUserId() != null ? claims.endUserId() : request.endUserId();
        EndUser endUser = endUserId == null ? null : directory.endUser(endUserId).orElse(null);

        policy.requireUserOrTeam(userId, team == null ? null : team.teamId());
        if (request.models().isEmpty()) {
            CommonChecks.verify(team, user, org, endUser, null, route, catalogue);
        }
        for (String model : request.models()) {
            // Every model the upstream may use, fallbacks included, must be one the team (or user) may call.
            CommonChecks.verify(team, user, org, endUser, model, route, catalogue);
        }
        if (team != null && user != null) {
            // LiteLLM reads the membership by the token's user id, as the spend ledger writes it.
            MemberBudget.verify(team, directory.membership(team.teamId(), userId).orElse(null));
        }
        return AuthResult.member(token.role() == null ? null : token.role().role(), team, userId, user,
                claims.trustedEmail(), claims.orgId(), org, endUserId, endUser, token.verified().tokenHash(),
                token.verified().expiresAt());
    }

    /**
     * The token acting as admin because the caller's stored {@code user_role} is {@code proxy_admin} (LiteLLM's
     * {@code is_proxy_admin}), or as viewer because it is {@code proxy_admin_viewer}, or {@code null}. The row is read
     * only on routes an admin may call (a viewer's reads are among them), so inference traffic costs no extra lookup;
     * it is never cached with the token, so a demotion counts as soon as the row's change notice arrives. When the
     * stored role's checks refuse, the token's own role decides, so the stored role never takes away.
     */
    private KnownToken storedAdmin(KnownToken known, String route) {
        if (known.role() != null && known.role().isProxyAdmin() || !policy.adminMayCall(route)) {
            return null;
        }
        String userId = userId(known);
        String email = known.claims().trustedEmail();
        if (userId == null && email == null) {
            return null;
        }
        ProxyRole stored = directory.user(userId, email).map(User::userRole).orElse(null);
        RoleResolution acting = RoleResolver.withStoredRole(known.role(), stored);
        if (acting == known.role()) {
            return null;
        }
        try {
            if (acting.isProxyAdmin()) {
                policy.authorizeStoredAdmin(known.claims(), known.role(), acting, route);
            } else {
                policy.authorizeStoredViewer(known.claims(), known.role(), acting, route);
            }
        } catch (AuthException.Refused refused) {
            return null;
        }
        return new KnownToken(known.verified(), known.claims(), acting, known.issuer());
    }

    private static AuthResult admin(KnownToken token) {
        return AuthResult.admin(userId(token), token.claims().trustedEmail(), token.claims().orgId(), null,
                token.verified().tokenHash(), token.verified().expiresAt());
    }

    /** A {@code proxy_admin_viewer} on a read: not an admin, and with no team, since a read spends nothing. */
    private static AuthResult viewer(KnownToken token) {
        return AuthResult.member(ProxyRole.PROXY_ADMIN_VIEWER, null, userId(token), null,
                token.claims().trustedEmail(), token.claims().orgId(), null, null, null, token.verified().tokenHash(),
                token.verified().expiresAt());
    }

    private static String userId(KnownToken token) {
        return token.role() != null ? token.role().userId(token.claims()) : token.claims().userId();
    }

    /** A caller allowed this route; the body's models, team and end user decide the rest. */
    private record PendingCaller(KnownToken token, AccessGrant grant, String route) implements Caller {
        @Override
        public Optional<AuthResult> decided() {
            return Optional.empty();
        }
    }

    /**
     * The token's organization, which must exist: by id (LiteLLM: 401), else by alias ({@code org_alias_jwt_field},
     * LiteLLM: 404); else the team's, if it has one and it exists.
     */
    private Organization organization(TokenClaims claims, Team team) {
        String orgId = claims.orgId();
        if (orgId != null) {
            return directory.organization(orgId).orElseThrow(() -> AuthException.unauthorized("org_not_found",
                    "Organization doesn't exist in db. Organization=" + orgId
                            + ". Create organization via `/organization/new` call."));
        }
        String alias = claims.orgAlias();
        if (alias != null) {
            return directory.organizationByAlias(alias).orElseThrow(() -> AuthException.notFound("org_not_found",
                    "Organization doesn't exist in db. Organization alias=" + alias
                            + ". Create organization via `/organization/new` call."));
        }
        if (team != null && team.organizationId() != null) {
            return directory.organization(team.organizationId()).orElse(null);
        }
        return null;
    }

    /**
     * The caller's user row; created on first sight with {@code user_id_upsert}, else a missing user is 401. The
     * e-mail finds and labels a user only when the identity provider verified it.
     */
    private User user(String userId, String trustedEmail) {
        if (userId == null) {
            return null;
        }
        return directory.user(userId, trustedEmail).orElseGet(() -> {
            if (!settings.access().userIdUpsert()) {
                throw AuthException.unauthorized("user_not_found", "User doesn't exist in db. 'user_id'=" + userId
                        + ". Create user via `/user/new` call. Got error - Set 'user_id_upsert: true' to create "
                        + "users on first sight.");
            }
            return directory.createUserWithDefaults(userId, trustedEmail, defaultUserParams);
        });
    }

    /**
     * LiteLLM's {@code sync_user_role_and_teams}, after the user is loaded: the row's role and teams follow the token.
     * A token whose team list was cut short ({@code team_ids_overage}) leaves the teams alone. Written only when the
     * row disagrees with the token.
     */
    private User synced(User user, TokenClaims claims) {
        // Planned against the token's teams that exist (cached lookups): the write skips the others, as LiteLLM's add
        // fails for them, so planning with them would find the row out of date, and write it, on every request.
        List<String> teams = claims.teamIdsOverage() ? null
                : claims.teamIds().stream().filter(teamId -> directory.team(teamId).isPresent()).toList();
        return RoleAndTeamSync.plan(user, roleResolver.mappedLitellmRole(claims), teams)
                .map(change -> directory.syncUser(user, change))
                .orElse(user);
    }

    /** Drops every cached token, e.g. after the signing keys were revoked. */
    public void forgetTokens() {
        tokens.clear();
    }

    /** The number of tokens currently cached as verified. */
    public long knownTokenCount() {
        return tokens.size();
    }

    /** Closes the key sources this authenticator created; key sources or a directory passed in stay open. */
    @Override
    public void close() {
        for (KeySource source : ownedKeySources) {
            try {
                source.close();
            } catch (Exception e) {
                LOG.warn("Closing the key source failed", e);
            }
        }
    }

    /** Collects the collaborators; only the settings and a directory are required. */
    public static final class Builder {
        private final JwtAuthSettings settings;
        private KeySource keySource;
        private final Map<String, KeySource> issuerKeySources = new HashMap<>();
        private Directory directory;
        private CustomValidator customValidator;
        private Provider provider;
        private long tokenCacheSize = KnownTokens.DEFAULT_SIZE;
        private Clock clock = Clock.systemUTC();
        private ModelCatalogue modelCatalogue = ModelCatalogue.EMPTY;
        private DefaultUserParams defaultUserParams = DefaultUserParams.NONE;

        private Builder(JwtAuthSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * Where the signing keys come from; by default the settings' {@code JWT_PUBLIC_KEY_URL}, closed with us. With
         * {@code issuers}, it verifies only tokens whose {@code iss} no entry names.
         */
        public Builder keySource(KeySource source) {
            this.keySource = source;
            return this;
        }

        /**
         * Where the keys of one {@code issuers} entry come from; by default its {@code jwks_url} or discovery
         * document, closed with us. Naming an issuer the settings do not list is refused at build.
         */
        public Builder issuerKeySource(String issuer, KeySource source) {
            issuerKeySources.put(Objects.requireNonNull(issuer, "issuer"), Objects.requireNonNull(source, "source"));
            return this;
        }

        /** The teams, users, organizations and end users; wrap a database one in a caching directory. */
        public Builder directory(Directory directory) {
            this.directory = directory;
            return this;
        }

        /**
         * LiteLLM's {@code custom_validate}: an extra check over the verified claims. Without one, the class the
         * settings' {@code custom_validate} names is loaded (see {@link CustomValidator#load}); naming both is refused.
         */
        public Builder customValidator(CustomValidator validator) {
            this.customValidator = validator;
            return this;
        }

        /**
         * The JCA provider for signature verification. By default Amazon Corretto Crypto Provider where its native
         * library loads, else the JDK's ({@link SignatureProviders}); never installed JVM-wide.
         */
        public Builder signatureProvider(Provider provider) {
            this.provider = provider;
            return this;
        }

        /** How many verified tokens to remember (default {@value KnownTokens#DEFAULT_SIZE}); 0 turns it off. */
        public Builder tokenCacheSize(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("tokenCacheSize must be >= 0");
            }
            this.tokenCacheSize = size;
            return this;
        }

        /** The clock that token lifetimes are checked against; for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The upstream's deployments and aliases ({@code model_list} with its access groups,
         * {@code model_group_alias}, {@code model_alias_map}), so that team and user model lists are decided as the
         * router runs a request. By default {@link ModelCatalogue#EMPTY}: model lists grant by name and wildcard only.
         */
        public Builder modelCatalogue(ModelCatalogue catalogue) {
            this.modelCatalogue = Objects.requireNonNull(catalogue, "catalogue");
            return this;
        }

        /**
         * LiteLLM's {@code litellm_settings.default_internal_user_params}: what a user created on first sight
         * ({@code user_id_upsert}) starts with; by default {@link DefaultUserParams#NONE}.
         */
        public Builder defaultUserParams(DefaultUserParams defaults) {
            this.defaultUserParams = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        public ProxyAuthenticator build() {
            for (String issuer : issuerKeySources.keySet()) {
                if (settings.keySource().issuers().stream().noneMatch(entry -> entry.issuer().equals(issuer))) {
                    throw new IllegalArgumentException("a key source was given for issuer '" + issuer
                            + "', which litellm_jwtauth.issuers does not list");
                }
            }
            return new ProxyAuthenticator(this);
        }
    }
}
