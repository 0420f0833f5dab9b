package io.claimgate.validator.store;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Drops from a {@link CachedDirectory} what a {@link ChangeNotice} names, and tells the other caches that something
 * changed (the gateway's remembered rate limits, which are cheap to read again and so are dropped whole).
 *
 * <p>A budget is shared by organizations, end users and memberships the notice does not name, so a budget change
 * drops every cached object, as does {@link ChangeNotice.Kind#ALL}.
 *
 * <p>A change of spend alone ({@link ChangeNotice#spendOnly()}, every spend flush) drops nothing: the object is read
 * again by its next request that may wait while the others are served it as remembered, and the other caches are not
 * told, since spend changes no limit.
 */
public final class NoticeEviction implements Consumer<ChangeNotice> {

    private final CachedDirectory directory;
    private final List<Runnable> alsoOnChange;

    /**
     * @param directory    the cache to drop objects from
     * @param alsoOnChange run after every notice but those of spend alone
     */
    public NoticeEviction(CachedDirectory directory, List<Runnable> alsoOnChange) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.alsoOnChange = alsoOnChange;
    }

    @Override
    public void accept(ChangeNotice notice) {
        String id = notice.id();
        if (notice.spendOnly()) {
            switch (notice.kind()) {
                case TEAM -> directory.spendChangedOfTeam(id);
                case USER -> directory.spendChangedOfUser(id);
                case ORGANIZATION -> directory.spendChangedOfOrganization(id);
                case END_USER -> directory.spendChangedOfEndUser(id);
                case MEMBERSHIP -> {
                    int colon = id.indexOf(':');
                    if (colon < 0) {
                        directory.invalidateUser(id); // not "team:user": read as the full notice would be
                    } else {
                        directory.spendChangedOfMembership(id.substring(0, colon), id.substring(colon + 1));
                    }
                }
                // ChangeNotice never marks these spend-only; should one arrive, it drops everything, as it would.
                case BUDGET, ALL -> directory.invalidateAll();
            }
            return;
        }
        switch (notice.kind()) {
            case TEAM -> directory.invalidateTeam(id);
            case USER -> directory.invalidateUser(id);
            case ORGANIZATION -> directory.invalidateOrganization(id);
            case END_USER -> directory.invalidateEndUser(id);
            // The membership's user, whose team-scoped view may have changed; its limits go with the others below.
            case MEMBERSHIP -> directory.invalidateUser(id.substring(id.indexOf(':') + 1));
            case BUDGET, ALL -> directory.invalidateAll();
        }
        for (Runnable action : alsoOnChange) {
            action.run();
        }
    }
}
