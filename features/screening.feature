Feature: Screening - who this advice is for
  Before any trafficking advice, the caseworker needs to know two things: is the person
  an adult, and was what happened trafficking harm, safe migration, or is it still unclear?
  Under-18s go to child protection. A safe migrant gets migrant support, not trafficking
  measures. When it is unclear, screening comes first, but basic help does not wait.

  Scenario: A person I record as trafficked is assessed as trafficked
    Given a case with:
      """
      person: {age: 24}
      harm: {status: trafficked}
      """
    When the case is assessed
    Then the harm status is "trafficked"
    And the flag "child_protection_referral" is not raised
    And the flag "screening_needed" is not raised
    And the principle "human_rights_at_centre" applies

  Scenario: A 17-year-old is referred to child protection, not assessed with the adult matrix
    Given a case with:
      """
      person: {age: 17}
      harm: {status: trafficked}
      exit: {route: escape}
      """
    When the case is assessed
    Then the harm status is "out_of_scope_child"
    And the flag "child_protection_referral" is raised with severity "high"
    And "child_protection_services" is recommended because of rule "screening.child"
    And "info_where_to_go" is not recommended
    And the recovery type is "not_applicable"
    And the integration outcome is "not_applicable"

  Scenario: A person who has just turned 18 stays in the adult matrix
    Given a case with:
      """
      person: {age: 18}
      harm: {status: trafficked}
      exit: {route: escape}
      """
    When the case is assessed
    Then the harm status is "trafficked"
    And the flag "child_protection_referral" is not raised
    And "child_protection_services" is not recommended
    And "info_where_to_go" is recommended

  Scenario: A 17-year-old I thought was a safe migrant still goes to child protection
    Given a case with:
      """
      person: {age: 17}
      harm: {status: safe_migration}
      """
    When the case is assessed
    Then the harm status is "out_of_scope_child"
    And the flag "child_protection_referral" is raised
    And the flag "not_trafficking" is not raised

  Scenario: When I don't know the person's age yet, the adult advice applies and the age is asked
    Given a case with:
      """
      harm: {status: trafficked}
      """
    When the case is assessed
    Then the harm status is "trafficked"
    And the flag "child_protection_referral" is not raised
    And the question "person.age" is among the missing

  Scenario: A person who was kidnapped and taken away against their will was trafficked
    Given a case with:
      """
      person: {age: 22}
      migration: {movement: kidnapped}
      """
    When the case is assessed
    Then the harm status is "trafficked"
    And the flag "screening_needed" is not raised

  Scenario: A person whose documents and wages were held back was trafficked, even though they chose to go
    Given a case with:
      """
      person: {age: 30}
      migration: {movement: voluntary}
      harm: {indicators: [documents_withheld, wages_withheld]}
      """
    When the case is assessed
    Then the harm status is "trafficked"
    And the flag "not_trafficking" is not raised

  Scenario: A person kept in bonded labour was trafficked, even though they chose to migrate
    Given a case with:
      """
      person: {age: 35}
      migration: {movement: voluntary}
      harm:
        indicators: []
        sectors: [bonded_labour]
      """
    When the case is assessed
    Then the harm status is "trafficked"
    And the flag "not_trafficking" is not raised

  Scenario: A worker who migrated by choice and met none of the signs of harm is a safe migrant
    Given a case with:
      """
      person: {age: 29}
      migration: {movement: voluntary}
      harm:
        indicators: []
        sectors: [industrial_work]
      exit: {route: contract_over}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the harm status is "safe_migration"
    And the flag "not_trafficking" is raised with severity "low"
    And the flag "screening_needed" is not raised
    And "safe_migration_support" is recommended because of rule "screening.flag_not_trafficking"
    And "info_where_to_go" is not recommended
    And "counselling_life_options" is not recommended
    And the recovery type is "not_applicable"
    And the integration outcome is "not_applicable"

  Scenario: A safe migrant who wants to go home is not sent through trafficking repatriation
    Given a case with:
      """
      harm: {status: safe_migration}
      exit: {route: contract_over}
      location: {current: destination_outside_harm, wishes: return_home}
      """
    When the case is assessed
    Then the flag "not_trafficking" is raised
    And "safe_migration_support" is recommended
    And "quick_repatriation_on_request" is not recommended
    And the flag "reverse_trafficking" is not raised

  Scenario: A safe migrant gets no reintegration programme meant for trafficking survivors
    Given a case with:
      """
      harm: {status: safe_migration}
      integration:
        support: facilitated
        settings: [community]
        stigma: [community]
      """
    When the case is assessed
    Then the integration outcome is "not_applicable"
    And "community_leader_counselling" is not recommended

  Scenario: Feeling isolated does not on its own settle whether a person was trafficked
    Given a case with:
      """
      person: {age: 26}
      migration: {movement: voluntary}
      harm: {indicators: [isolation]}
      """
    When the case is assessed
    Then the harm status is "unclear"
    And the flag "screening_needed" is raised with severity "medium"
    And "inform_about_services" is recommended because of rule "screening.flag_unclear"

  Scenario: A person who moved by choice but has not yet been asked about their experience still needs screening
    Given a case with:
      """
      person: {age: 26}
      migration: {movement: voluntary}
      """
    When the case is assessed
    Then the harm status is "unclear"
    And the flag "screening_needed" is raised
    And the flag "not_trafficking" is not raised
    And the question "harm.indicators" is among the missing

  Scenario: With nothing known yet, screening comes first and the person is told what help exists
    Given a case with:
      """
      case_id: SCREEN-EMPTY
      """
    When the case is assessed
    Then the harm status is "unclear"
    And the flag "screening_needed" is raised
    And "inform_about_services" is recommended
    And the principle "informed_consent" applies
    And the principle "do_no_harm" applies
    And the question "harm.status" is among the missing
    And the question "person.age" is among the missing

  Scenario: When I record that it is still unclear, basic help for a person who escaped does not wait
    Given a case with:
      """
      harm: {status: unclear}
      exit: {route: escape}
      """
    When the case is assessed
    Then the harm status is "unclear"
    And the flag "screening_needed" is raised
    And "info_where_to_go" is recommended
    And "health_care" is recommended
