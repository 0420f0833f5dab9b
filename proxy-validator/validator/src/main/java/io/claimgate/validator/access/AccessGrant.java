package io.claimgate.validator.access;

/** What {@link AccessPolicy#authorize} concluded about an allowed request. */
public enum AccessGrant {
    /** A public route: no caller needed, nothing else to check. */
    PUBLIC,
    /** A proxy admin on one of its routes: LiteLLM skips the team, user and budget checks for it. */
    PROXY_ADMIN,
    /** Any other caller: team selection and {@link CommonChecks} follow. */
    MEMBER,
    /**
     * A {@code proxy_admin_viewer} reading what an admin may read ({@link RoutePolicy#viewerMayRead}): like an admin,
     * no team, user or budget checks follow, since a read spends nothing; unlike an admin, it may not write.
     */
    VIEWER
}
