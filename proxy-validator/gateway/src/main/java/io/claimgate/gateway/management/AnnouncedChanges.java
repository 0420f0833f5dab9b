package io.claimgate.gateway.management;

import io.claimgate.validator.store.ChangeNotice;
import io.claimgate.validator.store.ChangeNotices;
import java.util.Objects;

/**
 * Applies a management change to this replica's caches at once, then announces it to the others
 * ({@code NOTIFY claimgate_changes}), so that every replica drops the object within a second. With the V3 triggers
 * installed the database announces it as well; the duplicate notice costs one more cache drop, and without the
 * triggers this announcement is what keeps replicas in agreement.
 */
public final class AnnouncedChanges implements ObjectChangeListener {

    private final ObjectChangeListener local;
    private final ChangeNotices notices;

    public AnnouncedChanges(ObjectChangeListener local, ChangeNotices notices) {
        this.local = Objects.requireNonNull(local, "local");
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    @Override
    public void teamChanged(String teamId) {
        local.teamChanged(teamId);
        notices.announce(new ChangeNotice(ChangeNotice.Kind.TEAM, teamId));
    }

    @Override
    public void userChanged(String userId) {
        local.userChanged(userId);
        notices.announce(new ChangeNotice(ChangeNotice.Kind.USER, userId));
    }

    @Override
    public void organizationChanged(String organizationId) {
        local.organizationChanged(organizationId);
        notices.announce(new ChangeNotice(ChangeNotice.Kind.ORGANIZATION, organizationId));
    }

    @Override
    public void endUserChanged(String endUserId) {
        local.endUserChanged(endUserId);
        notices.announce(new ChangeNotice(ChangeNotice.Kind.END_USER, endUserId));
    }
}
