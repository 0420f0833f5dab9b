package io.claimgate.gateway.limits;

import java.util.Objects;

/**
 * The limits of one team, user, team member or end user, as LiteLLM stores them ({@code rpm_limit},
 * {@code tpm_limit}, {@code max_parallel_requests} on the object's row or its budget row). {@code null} means no
 * limit of that kind. A negative limit, which LiteLLM's tables allow, is read as 0: nothing passes, rather than
 * everything.
 *
 * @param scope               whose limits these are
 * @param id                  the team, user or end user id; for a team member {@code team_id:user_id}
 * @param requestsPerMinute   {@code rpm_limit}
 * @param tokensPerMinute     {@code tpm_limit}
 * @param maxParallelRequests {@code max_parallel_requests}
 */
public record RateLimit(LimitScope scope, String id, Long requestsPerMinute, Long tokensPerMinute,
                        Long maxParallelRequests) {

    public RateLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(id, "id");
        requestsPerMinute = atLeastZero(requestsPerMinute);
        tokensPerMinute = atLeastZero(tokensPerMinute);
        maxParallelRequests = atLeastZero(maxParallelRequests);
    }

    /** The limits of a user within a team, under LiteLLM's {@code team_id:user_id} descriptor value. */
    public static RateLimit teamMember(String teamId, String userId, Long requestsPerMinute, Long tokensPerMinute,
                                       Long maxParallelRequests) {
        return new RateLimit(LimitScope.TEAM_MEMBER, teamId + ":" + userId, requestsPerMinute, tokensPerMinute,
                maxParallelRequests);
    }

    /** Whether any limit is set; one without is not counted at all. */
    public boolean limitsAnything() {
        return requestsPerMinute != null || tokensPerMinute != null || maxParallelRequests != null;
    }

    private static Long atLeastZero(Long limit) {
        return limit == null ? null : Math.max(0, limit);
    }
}
