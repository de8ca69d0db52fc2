Feature: Death of the person
  When the person has died, the matrix asks for proper funeral rites according to their
  religious belief and for their body to be brought home. Recovery and rebuilding of life
  no longer apply. The caseworker is usually speaking with the family.

  Scenario: When a person has died, funeral rites and bringing the body home are arranged
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked}
      exit: {route: death, religion: Islam}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the exit route is "death"
    And "funeral_rites" is recommended because of rule "death.rites_and_remains"
    And "repatriate_remains" is recommended because of rule "death.rites_and_remains"

  Scenario: Recovery and rebuilding of life no longer apply after death
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      """
    When the case is assessed
    Then the recovery type is "not_applicable"
    And the integration outcome is "not_applicable"

  Scenario: No integration advice is given for a person who has died, whatever was recorded before
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      integration:
        support: facilitated
        settings: [extended_family, community, workplace]
        stigma: [family, community, workplace]
        livelihood: false
      """
    When the case is assessed
    Then the integration outcome is "not_applicable"
    And "family_counselling" is not recommended
    And "community_leader_counselling" is not recommended
    And "workplace_placement" is not recommended
    And "job_training" is not recommended
    And "micro_credit" is not recommended
    And "destigmatise_families_media" is not recommended
    And "inform_about_services" is not recommended

  Scenario: Advice meant for a living survivor is not given after death
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      location: {current: destination_outside_harm}
      recovery: {setting: none}
      """
    When the case is assessed
    Then "info_where_to_go" is not recommended
    And "counselling_life_options" is not recommended
    And "livelihood_counselling" is not recommended
    And "referral_network" is not recommended

  Scenario: A family who fear reprisals after the death get a safety plan
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      legal: {fears_reprisal: true}
      """
    When the case is assessed
    Then the flag "reprisal_risk" is raised
    And "safety_planning" is recommended
    And "funeral_rites" is recommended

  Scenario: A family who want the traffickers prosecuted after the death get legal assistance
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      legal: {wants_prosecution: 'yes'}
      """
    When the case is assessed
    Then "legal_assistance_throughout" is recommended because of rule "rights.wants_prosecution"
    And "repatriate_remains" is recommended

  Scenario: A bereaved family is not asked about the wishes, health or shelter of the person who died
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      """
    When the case is assessed
    Then the question "location.wishes" is not among the missing
    And the question "exit.health" is not among the missing
    And the question "recovery.setting" is not among the missing
    And the integration outcome is "not_applicable"
