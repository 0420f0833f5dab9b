package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.claimgate.model.AuthResult;
import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.ProxyRole;
import io.claimgate.validator.store.CachedDirectory;
import io.claimgate.validator.store.ChangeSubscriber;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.DatabaseSettings;
import io.claimgate.validator.store.NoticeEviction;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.store.TestPostgres;
import io.claimgate.validator.token.StaticKeySource;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stored roles and new-user defaults with real parts: LiteLLM's tables in PostgreSQL, the caching directory, and the
 * change notices its triggers send when LiteLLM (here: plain SQL) promotes or demotes a user.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoredUserRoleIT {

    private static final TokenMint MINT = new TokenMint("kc-stored-it");

    private static String jdbcUrl;
    private static Database database;
    private static ChangeSubscriber subscriber;
    private static ProxyAuthenticator auth;

    @BeforeAll
    static void start() {
        jdbcUrl = TestPostgres.freshDatabase();
        database = Database.open(DatabaseSettings.of(jdbcUrl));
        CachedDirectory directory = new CachedDirectory(new PostgresDirectory(database.dataSource()));
        subscriber = ChangeSubscriber.start(() -> DriverManager.getConnection(jdbcUrl),
                new NoticeEviction(directory, List.of()));
        TestPostgres.execute(jdbcUrl,
                "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_role, models) VALUES"
                        + " ('alice', 'internal_user', '{}'), ('viewer', 'proxy_admin_viewer', '{}')");
        auth = ProxyAuthenticator.builder(new LiteLlmBlock()
                        .set("user_id_jwt_field", "sub")
                        .set("user_id_upsert", true)
                        .issuer(TokenMint.ISSUER)
                        .audiences(List.of(TokenMint.AUDIENCE))
                        .settings())
                .keySource(StaticKeySource.of(MINT.publicKey()))
                .directory(directory)
                .defaultUserParams(new DefaultUserParams(null, List.of("gpt-4o-mini"), 10.0, "30d", null, null,
                        List.of()))
                .build();
    }

    @AfterAll
    static void stop() {
        subscriber.close();
        database.close();
    }

    private static boolean isAdminOn(String token, String route) {
        try {
            return auth.identify(token, route).decided().map(AuthResult::proxyAdmin).orElse(false);
        } catch (AuthException refused) {
            return false;
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(50);
        }
    }

    @Test
    void aUserPromotedAndDemotedInLiteLlmsTableGainsAndLosesAdminRoutes() throws Exception {
        String token = MINT.token(Map.of("sub", "alice"));
        AuthException before = catchThrowableOfType(() -> auth.identify(token, "/user/new"), AuthException.class);
        assertThat(before.reason()).isEqualTo("route_not_allowed");

        // when LiteLLM's /user/update makes alice an admin, the trigger's notice evicts her cached row
        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_UserTable\" SET user_role = 'proxy_admin'"
                + " WHERE user_id = 'alice'");
        awaitTrue(() -> isAdminOn(token, "/user/new"));

        // and when she is demoted again, the same token loses the route
        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_UserTable\" SET user_role = 'internal_user'"
                + " WHERE user_id = 'alice'");
        awaitTrue(() -> !isAdminOn(token, "/user/new"));
        AuthException after = catchThrowableOfType(() -> auth.identify(token, "/user/new"), AuthException.class);
        assertThat(after.status()).isEqualTo(403);
    }

    @Test
    void aStoredViewerIsRefusedManagementRoutes() {
        AuthException refused = catchThrowableOfType(() -> auth.identify(MINT.token(Map.of("sub", "viewer")),
                "/user/new"), AuthException.class);

        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void aUserStoredAsViewerReadsTeamsAndIsRefusedTheirCreation() {
        String token = MINT.token(Map.of("sub", "viewer"));

        AuthResult read = auth.identify(token, "/team/info").decided().orElseThrow();
        AuthException write = catchThrowableOfType(() -> auth.identify(token, "/team/new"), AuthException.class);

        assertThat(read.proxyAdmin()).isFalse();
        assertThat(read.role()).isEqualTo(ProxyRole.PROXY_ADMIN_VIEWER);
        assertThat(read.userId()).isEqualTo("viewer");
        assertThat(write.status()).isEqualTo(403);
    }

    @Test
    void aUserDemotedFromViewerInLiteLlmsTableLosesTheReads() throws Exception {
        TestPostgres.execute(jdbcUrl, "INSERT INTO \"LiteLLM_UserTable\" (user_id, user_role, models)"
                + " VALUES ('auditor', 'proxy_admin_viewer', '{}')");
        String token = MINT.token(Map.of("sub", "auditor"));
        assertThat(auth.identify(token, "/team/list").decided().map(AuthResult::role))
                .contains(ProxyRole.PROXY_ADMIN_VIEWER);

        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_UserTable\" SET user_role = 'internal_user'"
                + " WHERE user_id = 'auditor'");

        awaitTrue(() -> auth.identify(token, "/team/list").decided()
                .map(result -> result.role() != ProxyRole.PROXY_ADMIN_VIEWER).orElse(true));
    }

    @Test
    void aUserCreatedOnFirstSightIsHeldToTheDefaultModels() {
        String token = MINT.token(Map.of("sub", "newcomer"));

        AuthResult allowed = auth.authenticate(AuthRequest.of(token, "/chat/completions", "gpt-4o-mini"));
        AuthException refused = catchThrowableOfType(() -> auth.authenticate(AuthRequest.of(token,
                "/chat/completions", "gpt-4o")), AuthException.class);

        assertThat(allowed.user().models()).containsExactly("gpt-4o-mini");
        assertThat(allowed.user().maxBudget()).isEqualTo(10.0);
        assertThat(allowed.user().userRole()).isEqualTo(ProxyRole.INTERNAL_USER);
        assertThat(refused.type()).isEqualTo(ErrorType.USER_MODEL_ACCESS_DENIED);
    }
}
