package io.claimgate.validator.access;

import io.claimgate.model.Team;
import io.claimgate.model.TeamMembership;
import io.claimgate.validator.AuthException;

/**
 * LiteLLM's team-member budget ({@code _check_team_member_budget} in {@code common_checks}): a user acting for a team
 * is refused once their own spend in that team reaches the {@code max_budget} of the budget row their
 * {@code LiteLLM_TeamMembership} links to. Unlike the team's and the user's budgets (refused above the ceiling), the
 * member's is refused at it, as in LiteLLM.
 *
 * <p>Pure; the caller loads the membership of the request's team and user, and calls this only when both are known
 * (LiteLLM skips the check without a user row).
 */
public final class MemberBudget {

    private MemberBudget() {
    }

    /**
     * @param team       the team the request is made for
     * @param membership the caller's membership of that team, or {@code null} when there is none
     * @throws AuthException 400 {@code budget_exceeded} with LiteLLM's message
     */
    public static void verify(Team team, TeamMembership membership) {
        if (team == null || membership == null || membership.maxBudget() == null) {
            return;
        }
        double max = membership.maxBudget();
        if (membership.spend() >= max) {
            throw AuthException.budgetExceeded("Budget has been exceeded! User=" + membership.userId() + " in Team="
                    + team.teamId() + " Current cost: " + Messages.number(membership.spend()) + ", Max budget: "
                    + Messages.number(max));
        }
    }
}
