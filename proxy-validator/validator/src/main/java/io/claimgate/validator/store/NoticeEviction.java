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
 */
public final class NoticeEviction implements Consumer<ChangeNotice> {

    private final CachedDirectory directory;
    private final List<Runnable> alsoOnChange;

    /**
     * @param directory    the cache to drop objects from
     * @param alsoOnChange run after every notice
     */
    public NoticeEviction(CachedDirectory directory, List<Runnable> alsoOnChange) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.alsoOnChange = alsoOnChange;
    }

    @Override
    public void accept(ChangeNotice notice) {
        String id = notice.id();
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
