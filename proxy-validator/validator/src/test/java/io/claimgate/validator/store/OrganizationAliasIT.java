package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.Budget;
import io.claimgate.model.Organization;
import io.claimgate.validator.AuthException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The organization lookup behind {@code org_alias_jwt_field}, against LiteLLM's tables in a real PostgreSQL. */
class OrganizationAliasIT {

    private static String jdbcUrl;
    private static Database database;
    private static PostgresDirectory directory;

    @BeforeAll
    static void startDatabase() {
        jdbcUrl = TestPostgres.freshDatabase();
        database = Database.open(DatabaseSettings.of(jdbcUrl));
        directory = new PostgresDirectory(database.dataSource());
        TestPostgres.execute(jdbcUrl,
                "INSERT INTO \"LiteLLM_BudgetTable\" (budget_id, max_budget, soft_budget, created_by, updated_by)"
                        + " VALUES ('budget-research', 100.0, 80.0, 'admin', 'admin')",
                "INSERT INTO \"LiteLLM_OrganizationTable\" (organization_id, organization_alias, budget_id, models,"
                        + " spend, created_by, updated_by) VALUES"
                        + " ('org-research', 'Research', 'budget-research', '{gpt-4o}', 12.5, 'admin', 'admin'),"
                        + " ('org-sales-1', 'Sales', 'budget-research', NULL, 0, 'admin', 'admin'),"
                        + " ('org-sales-2', 'Sales', 'budget-research', NULL, 0, 'admin', 'admin'),"
                        + " ('org-renamed', 'Before', 'budget-research', NULL, 0, 'admin', 'admin')");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @Test
    void findsAnOrganizationByItsAliasWithItsBudget() {
        Organization org = directory.organizationByAlias("Research").orElseThrow();

        assertThat(org.organizationId()).isEqualTo("org-research");
        assertThat(org.models()).containsExactly("gpt-4o");
        assertThat(org.spend()).isEqualTo(12.5);
        assertThat(org.budget()).isEqualTo(new Budget("budget-research", 100.0, 80.0));
    }

    @Test
    void matchesTheAliasExactly() {
        assertThat(directory.organizationByAlias("research")).isEmpty();
        assertThat(directory.organizationByAlias("Research ")).isEmpty();
        assertThat(directory.organizationByAlias(null)).isEmpty();
    }

    @Test
    void refusesAnAliasThatNamesSeveralOrganizationsRatherThanGuessing() {
        assertThatThrownBy(() -> directory.organizationByAlias("Sales"))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("org_alias_ambiguous");
                    assertThat(e.getMessage()).contains("alias=Sales");
                });
    }

    @Test
    void aCachedDirectorySeesAnAliasGivenAfterItRememberedItsAbsence() {
        // given a cached "no organization called Marketing"
        CachedDirectory cached = new CachedDirectory(directory);
        assertThat(cached.organizationByAlias("Marketing")).isEmpty();

        // when an organization is renamed to it through the management API, which invalidates it
        TestPostgres.execute(jdbcUrl, "UPDATE \"LiteLLM_OrganizationTable\" SET organization_alias = 'Marketing'"
                + " WHERE organization_id = 'org-renamed'");
        Optional<Organization> stillRemembered = cached.organizationByAlias("Marketing");
        cached.invalidateOrganization("org-renamed");

        // then the next lookup finds it
        assertThat(stillRemembered).isEmpty();
        assertThat(cached.organizationByAlias("Marketing")).map(Organization::organizationId)
                .contains("org-renamed");
    }
}
