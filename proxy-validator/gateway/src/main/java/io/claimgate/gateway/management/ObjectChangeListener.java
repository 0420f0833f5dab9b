package io.claimgate.gateway.management;

/**
 * Told when the management API changed an object, so that caches drop it and the change applies to the next request
 * at once. The integrator passes the directory cache's invalidation methods.
 */
public interface ObjectChangeListener {

    /** Does nothing: for a gateway without caches. */
    ObjectChangeListener NONE = new ObjectChangeListener() {
    };

    default void teamChanged(String teamId) {
    }

    default void userChanged(String userId) {
    }

    default void organizationChanged(String organizationId) {
    }

    default void endUserChanged(String endUserId) {
    }
}
