package io.claimgate.gateway.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every end-to-end test class the same {@link SuiteServices}, started on first use (a cold Keycloak takes about a
 * minute) and kept in the root store, which JUnit closes when the whole suite ends.
 */
final class SharedSuite implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SuiteServices.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedSuite.class))
                .getOrComputeIfAbsent(SuiteServices.class, key -> SuiteServices.start(), SuiteServices.class);
    }
}
