package io.claimgate.model;

import java.util.Optional;

/**
 * Who is calling, established from a verified token: LiteLLM's {@code UserAPIKeyAuth} for JWTs.
 *
 * <p>Carries a hash of the token, never the token: the result is logged, cached and passed around.
 * Every object field is {@code null} when the token does not name it or the database does not hold it.
 *
 * @param proxyAdmin whether the caller is a proxy admin
 * @param role       the resolved role, or {@code null} when none applies (only possible without RBAC)
 * @param teamId     the team the request is made for
 * @param team       that team's row
 * @param userId     the caller's user id
 * @param user       that user's row
 * @param userEmail  the caller's e-mail from the token
 * @param orgId      the organization
 * @param org        that organization's row
 * @param endUserId  the end user the request is made for
 * @param endUser    that end user's row
 * @param tokenHash  SHA-256 of the token, lower-case hex
 * @param expiresAt  when the token expires, epoch seconds
 */
public record AuthResult(boolean proxyAdmin, ProxyRole role, String teamId, Team team, String userId, User user,
                         String userEmail, String orgId, Organization org, String endUserId, EndUser endUser,
                         String tokenHash, long expiresAt) {

    private static final AuthResult ANONYMOUS =
            new AuthResult(false, null, null, null, null, null, null, null, null, null, null, null, 0L);

    /** No caller: a public route called without a credential. */
    public static AuthResult anonymous() {
        return ANONYMOUS;
    }

    /**
     * A proxy admin, decided without loading any object (LiteLLM's {@code check_admin_access}).
     *
     * @param userId    the admin's user id, or {@code null}
     * @param userEmail the admin's e-mail, or {@code null}
     * @param orgId     the organization the token names, or {@code null}
     * @param endUserId the end user spend is attributed to, or {@code null}
     */
    public static AuthResult admin(String userId, String userEmail, String orgId, String endUserId, String tokenHash,
                                   long expiresAt) {
        return new AuthResult(true, ProxyRole.PROXY_ADMIN, null, null, userId, null, userEmail, orgId, null,
                endUserId, null, tokenHash, expiresAt);
    }

    /**
     * Any caller but a proxy admin, with the objects the request was checked against. The team id is the team's;
     * the organization id is the organization's when one was loaded, else the one the token names.
     */
    public static AuthResult member(ProxyRole role, Team team, String userId, User user, String userEmail,
                                    String orgId, Organization org, String endUserId, EndUser endUser,
                                    String tokenHash, long expiresAt) {
        return new AuthResult(false, role, team == null ? null : team.teamId(), team, userId, user, userEmail,
                org == null ? orgId : org.organizationId(), org, endUserId, endUser, tokenHash, expiresAt);
    }

    public Optional<ProxyRole> roleIfAny() {
        return Optional.ofNullable(role);
    }

    public Optional<String> teamIdIfAny() {
        return Optional.ofNullable(teamId);
    }

    public Optional<String> userIdIfAny() {
        return Optional.ofNullable(userId);
    }

    public Optional<String> orgIdIfAny() {
        return Optional.ofNullable(orgId);
    }

    public Optional<String> endUserIdIfAny() {
        return Optional.ofNullable(endUserId);
    }

    @Override
    public String toString() {
        // No token material beyond a short hash prefix: results end up in logs.
        return "AuthResult[role=" + role + ", team=" + teamId + ", user=" + userId + ", org=" + orgId
                + ", endUser=" + endUserId + ", token=" + (tokenHash == null ? null : tokenHash.substring(0, 12)) + "]";
    }
}
