package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.provider.ProviderConfigProperty;

class ProxyClaimsMapperTest {

    private final ProxyClaimsMapper mapper = new ProxyClaimsMapper();

    private static ProtocolMapperModel model(Map<String, String> config) {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName("claimgate");
        model.setProtocolMapper(ProxyClaimsMapper.PROVIDER_ID);
        model.setConfig(config);
        return model;
    }

    @Test
    void isRegisteredOnceUnderItsProviderIdThroughServiceLoader() {
        var ours = ServiceLoader.load(ProtocolMapper.class).stream()
                .filter(provider -> provider.type() == ProxyClaimsMapper.class)
                .map(ServiceLoader.Provider::get)
                .toList();

        assertThat(ours).singleElement().extracting(ProtocolMapper::getId)
                .isEqualTo("claimgate-proxy-claims");
    }

    @Test
    void noOtherRegisteredMapperClaimsOurId() {
        var sameId = ServiceLoader.load(ProtocolMapper.class).stream()
                .filter(provider -> provider.type() != ProxyClaimsMapper.class)
                .map(provider -> {
                    try {
                        return provider.get().getId();
                    } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                        // Keycloak's SAML mappers need classes absent here; their ids are SAML ids, never ours.
                        return provider.type().getName();
                    }
                })
                .filter(ProxyClaimsMapper.PROVIDER_ID::equals)
                .toList();

        assertThat(sameId).isEmpty();
    }

    @Test
    void showsInTheAdminConsoleAsAnOidcTokenMapper() {
        assertThat(mapper.getProtocol()).isEqualTo("openid-connect");
        assertThat(mapper.getDisplayType()).isEqualTo("Claimgate LLM proxy claims");
        assertThat(mapper.getDisplayCategory()).isEqualTo("Token mapper");
    }

    @Test
    void offersItsKeysAndKeycloaksIncludeSwitches() {
        var names = mapper.getConfigProperties().stream().map(ProviderConfigProperty::getName).toList();

        assertThat(names).contains("teams.group.path", "teams.active.attribute", "teams.max", "roles.client",
                "admin.role", "admin.scope", "scopes.attribute", "org.attribute", "claim.team_id", "claim.team_ids",
                "claim.roles", "claim.org_id", "org.source", "org.value",
                OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN,
                OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO, OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION,
                OIDCAttributeMapperHelper.INCLUDE_IN_LIGHTWEIGHT_ACCESS_TOKEN);
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void runsAfterTheMappersThatRenameOrAddRoles() {
        assertThat(mapper.getPriority()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void reportsAVersionInServerInfo() {
        assertThat(mapper.getOperationalInfo()).containsKey("Version");
    }

    @Test
    void acceptsAValidConfig() {
        assertThatCode(() -> mapper.validateConfig(null, null, null,
                model(Map.of("teams.group.path", "/teams", "teams.max", "5")))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnInvalidConfigWithAMessageKeySoThatKeycloakAnswers400() {
        var refusal = catchThrowableOfType(ProtocolMapperConfigException.class,
                () -> mapper.validateConfig(null, null, null, model(Map.of("teams.max", "0", "claim.roles", "sub"))));

        assertThat(refusal.getMessageKey()).isNotBlank();
        assertThat(refusal.getMessage()).contains("teams.max").contains("claim.roles");
    }

    @Test
    void configPropertiesAreTheSameListEveryTime() {
        List<ProviderConfigProperty> first = mapper.getConfigProperties();
        assertThat(new ProxyClaimsMapper().getConfigProperties()).isSameAs(first);
    }
}
