package io.claimgate.gateway.limits;

/**
 * Whose limit a counter keeps, named as LiteLLM's rate limiter names its descriptors; the name appears in the 429
 * message and in the {@code x-ratelimit-<scope>-*} headers.
 */
public enum LimitScope {
    TEAM("team"),
    USER("user"),
    /** A user within one team ({@code LiteLLM_TeamMembership} and its budget row); the id is {@code team:user}. */
    TEAM_MEMBER("team_member"),
    END_USER("end_user"),
    /**
     * One model within a team: the team's {@code metadata.model_rpm_limit} / {@code model_tpm_limit} for the model the
     * request names; the id is {@code team:model}.
     */
    MODEL_PER_TEAM("model_per_team");

    private final String descriptor;

    LimitScope(String descriptor) {
        this.descriptor = descriptor;
    }

    /**
     * LiteLLM's descriptor key: {@code team}, {@code user}, {@code team_member}, {@code end_user},
     * {@code model_per_team}.
     */
    public String descriptor() {
        return descriptor;
    }
}
