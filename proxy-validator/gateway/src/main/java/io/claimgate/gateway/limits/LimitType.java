package io.claimgate.gateway.limits;

/** Which limit refused a request, with LiteLLM's {@code rate_limit_type} names. */
public enum LimitType {
    REQUESTS("requests"),
    TOKENS("tokens"),
    MAX_PARALLEL_REQUESTS("max_parallel_requests");

    private final String wireValue;

    LimitType(String wireValue) {
        this.wireValue = wireValue;
    }

    public String wireValue() {
        return wireValue;
    }
}
