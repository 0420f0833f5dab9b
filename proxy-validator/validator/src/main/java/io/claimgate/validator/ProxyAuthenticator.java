package io.claimgate.validator;

import io.claimgate.model.AuthResult;
import io.claimgate.model.EndUser;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.access.AccessGrant;
import io.claimgate.validator.access.AccessPolicy;
import io.claimgate.validator.access.CommonChecks;
import io.claimgate.validator.access.CustomValidator;
import io.claimgate.validator.access.TeamSelection;
import io.claimgate.validator.claims.TokenClaims;
import io.claimgate.validator.crypto.SignatureProviders;
import io.claimgate.validator.store.Directory;
import io.claimgate.validator.token.JwksKeySource;
import io.claimgate.validator.token.KeySource;
import io.claimgate.validator.token.TokenVerifier;
import java.security.Provider;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiteLLM's JWT auth as one thread-safe call: verify the token, read its claims, resolve the role, check the route and
 * model, load the team, user, organization and end user, and run the checks on them.
 *
 * <p>The stages are LiteLLM's {@code auth_builder}, in its order; each is a class of its own in {@code token},
 * {@code claims}, {@code access} and {@code store}. What is derived from the token alone (signature, claims, role) is
 * cached per token until it expires ({@link KnownTokens}); what the database says is cached by the {@link Directory}.
 */
public final class ProxyAuthenticator implements Authenticator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyAuthenticator.class);

    private final JwtAuthSettings settings;
    private final KnownTokens tokens;
    private final AccessPolicy policy;
    private final TeamSelection teamSelection;
    private final Directory directory;
    private final KeySource keySource;
    private final boolean ownsKeySource;

    private ProxyAuthenticator(Builder builder) {
        settings = builder.settings;
        ownsKeySource = builder.keySource == null;
        keySource = ownsKeySource ? new JwksKeySource(settings) : builder.keySource;
        Provider provider = builder.provider != null ? builder.provider
                : SignatureProviders.configured().provider().orElse(null);
        TokenVerifier verifier = new TokenVerifier(settings, keySource, provider, builder.clock);
        tokens = new KnownTokens(settings, verifier, builder.tokenCacheSize, builder.clock);
        policy = new AccessPolicy(settings, builder.customValidator);
        teamSelection = new TeamSelection(settings);
        directory = Objects.requireNonNull(builder.directory, "directory");
        if (!settings.ignoredKeys().isEmpty()) {
            LOG.warn("litellm_jwtauth keys accepted but not acted on by Claimgate: {}", settings.ignoredKeys());
        }
    }

    /** Starts a builder for these settings. */
    public static Builder builder(JwtAuthSettings settings) {
        return new Builder(settings);
    }

    @Override
    public Caller identify(String token, String route) {
        if (token == null || token.isEmpty()) {
            if (policy.isPublicRoute(route)) {
                return Caller.decided(anonymous());
            }
            throw AuthException.unauthorized("missing_token", "No api key passed in.");
        }
        KnownTokens.KnownToken known = tokens.get(token);
        // The route alone: every model-dependent rule waits for authorize, when the body has been read.
        AccessGrant grant = policy.authorize(known.claims(), known.role(), route, null);
        if (grant == AccessGrant.MEMBER) {
            return new PendingCaller(known);
        }
        // LiteLLM's check_admin_access: an admin on an admin route is done, without objects or budgets.
        TokenClaims claims = known.claims();
        return Caller.decided(grant == AccessGrant.PUBLIC ? anonymous() : new AuthResult(true,
                known.role() == null ? null : known.role().role(), null, null, userId(known), null, claims.email(),
                claims.orgId(), null, null, null, known.verified().tokenHash(), known.verified().expiresAt()));
    }

    @Override
    public AuthResult authorize(Caller caller, AuthRequest request) {
        if (caller.decided().isPresent()) {
            return caller.decided().get();
        }
        if (!(caller instanceof PendingCaller pending)) {
            throw new IllegalArgumentException("caller was not identified by this authenticator");
        }
        KnownTokens.KnownToken token = pending.token();
        TokenClaims claims = token.claims();
        String route = request.route();
        String model = request.model();
        for (String named : request.models()) {
            policy.authorize(claims, token.role(), route, named);
        }

        ProxyRole role = token.role() == null ? null : token.role().role();
        String userId = userId(token);
        Team team = team(request, claims, token, model, route);
        String teamId = team == null ? null : team.teamId();
        Organization org = organization(claims.orgId(), team);
        User user = user(userId, claims.email());
        String endUserId = claims.endUserId() != null ? claims.endUserId() : request.endUserId();
        EndUser endUser = endUserId == null ? null : directory.endUser(endUserId).orElse(null);

        policy.requireUserOrTeam(userId, teamId);
        if (request.models().isEmpty()) {
            CommonChecks.verify(team, user, org, endUser, null, route);
        }
        for (String named : request.models()) {
            // Every model the upstream may use, fallbacks included, must be one the team (or user) may call.
            CommonChecks.verify(team, user, org, endUser, named, route);
        }
        return new AuthResult(false, role, teamId, team, userId, user, claims.email(),
                org == null ? claims.orgId() : org.organizationId(), org, endUserId, endUser,
                token.verified().tokenHash(), token.verified().expiresAt());
    }

    private static String userId(KnownTokens.KnownToken token) {
        return token.role() != null && token.role().objectUserId() != null
                ? token.role().objectUserId() : token.claims().userId();
    }

    /** A member whose route is allowed; the body's models, team and end user decide the rest. */
    private record PendingCaller(KnownTokens.KnownToken token) implements Caller {
        @Override
        public java.util.Optional<AuthResult> decided() {
            return java.util.Optional.empty();
        }
    }

    /**
     * The team the request is made for, in LiteLLM's order: the {@code x-litellm-team-id} header (one of the token's
     * teams), the role's object id, the token's team id (or {@code team_id_default}), the team alias, then the first
     * of {@code team_ids} with access to the model.
     */
    private Team team(AuthRequest request, TokenClaims claims, KnownTokens.KnownToken token, String model,
                      String route) {
        String fromHeader = TeamSelection.headerTeam(request.requestedTeamId(), claims);
        if (fromHeader != null) {
            return requireTeam(fromHeader);
        }
        String objectTeamId = token.role() == null ? null : token.role().objectTeamId();
        if (objectTeamId != null) {
            return requireTeam(objectTeamId);
        }
        if (claims.teamId() != null) {
            return requireTeam(claims.teamId());
        }
        if (claims.teamAlias() != null) {
            return directory.teamByAlias(claims.teamAlias()).orElseThrow(() -> AuthException.notFound(
                    "team_not_found", "Team doesn't exist in db. Team alias=" + claims.teamAlias()
                            + ". Create team via `/team/new` call."));
        }
        if (claims.teamIds().isEmpty() && teamSelection.teamRequired()) {
            // LiteLLM's is_required_team_id. A token that lists teams instead goes on to the team_ids choice
            // below: Keycloak users in several teams carry team_ids and no single team_id.
            throw teamSelection.missingTeam();
        }
        return teamSelection.firstTeamWithAccess(claims.teamIds(), directory::team, model, route).orElse(null);
    }

    private Team requireTeam(String teamId) {
        return directory.team(teamId).orElseThrow(() -> AuthException.notFound("team_not_found",
                "Team doesn't exist in db. Team=" + teamId + ". Create team via `/team/new` call."));
    }

    /** The token's organization, which must exist (LiteLLM: 401); else the team's, if it has one and it exists. */
    private Organization organization(String orgId, Team team) {
        if (orgId != null) {
            return directory.organization(orgId).orElseThrow(() -> AuthException.unauthorized("org_not_found",
                    "Organization doesn't exist in db. Organization=" + orgId
                            + ". Create organization via `/organization/new` call."));
        }
        if (team != null && team.organizationId() != null) {
            return directory.organization(team.organizationId()).orElse(null);
        }
        return null;
    }

    /** The caller's user row; created on first sight with {@code user_id_upsert}, else a missing user is 401. */
    private User user(String userId, String email) {
        if (userId == null) {
            return null;
        }
        return directory.user(userId, email).orElseGet(() -> {
            if (!settings.userIdUpsert()) {
                throw AuthException.unauthorized("user_not_found", "User doesn't exist in db. 'user_id'=" + userId
                        + ". Create user via `/user/new` call. Got error - Set 'user_id_upsert: true' to create "
                        + "users on first sight.");
            }
            return directory.createUserIfAbsent(userId, email, ProxyRole.INTERNAL_USER);
        });
    }

    private static AuthResult anonymous() {
        return new AuthResult(false, null, null, null, null, null, null, null, null, null, null, null, 0L);
    }

    /** Drops every cached token, e.g. after the signing keys were revoked. */
    public void forgetTokens() {
        tokens.clear();
    }

    /** The number of tokens currently cached as verified. */
    public long knownTokenCount() {
        return tokens.size();
    }

    /** Closes the key source this authenticator created; a key source or directory passed in stays open. */
    @Override
    public void close() {
        if (ownsKeySource) {
            try {
                keySource.close();
            } catch (Exception e) {
                LOG.warn("Closing the key source failed", e);
            }
        }
    }

    /** Collects the collaborators; only the settings and a directory are required. */
    public static final class Builder {
        private final JwtAuthSettings settings;
        private KeySource keySource;
        private Directory directory;
        private CustomValidator customValidator;
        private Provider provider;
        private long tokenCacheSize = KnownTokens.DEFAULT_SIZE;
        private Clock clock = Clock.systemUTC();

        private Builder(JwtAuthSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Where the signing keys come from; by default the settings' {@code JWT_PUBLIC_KEY_URL}, closed with us. */
        public Builder keySource(KeySource source) {
            this.keySource = source;
            return this;
        }

        /** The teams, users, organizations and end users; wrap a database one in a caching directory. */
        public Builder directory(Directory directory) {
            this.directory = directory;
            return this;
        }

        /** LiteLLM's {@code custom_validate}: an extra check over the verified claims. */
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

        public ProxyAuthenticator build() {
            return new ProxyAuthenticator(this);
        }
    }
}
