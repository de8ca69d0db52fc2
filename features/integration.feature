Feature: Socio-economic integration - rebuilding life
  Integration happens in the extended family, the community and the workplace, with
  assistance or on the person's own. The outcome runs from successful ("comparative
  agency": work of their own choosing, no stigma) through a grey area to unsuccessful
  (no livelihood and stigma around them).

  Scenario: A survivor who has not started rebuilding life yet
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration: {support: not_started}
      """
    When the case is assessed
    Then the integration outcome is "not_started"

  Scenario: A survivor back with the family, with work of their choosing and no stigma, has integrated successfully
    Given a case with:
      """
      harm: {status: trafficked, perpetrators: [recruiter_agent]}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        settings: [extended_family]
        stigma: []
        livelihood: true
      """
    When the case is assessed
    Then the integration outcome is "successful"
    And "family_counselling" is recommended because of rule "integration.family_counselling"

  Scenario: A survivor with no income who is blamed by the family has not integrated yet
    Given a case with:
      """
      harm: {status: trafficked, perpetrators: [recruiter_agent, employer]}
      exit: {route: contract_over}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        settings: [community]
        stigma: [family]
        livelihood: false
      """
    When the case is assessed
    Then the integration outcome is "unsuccessful"
    And "family_counselling" is recommended because of rule "integration.family_counselling"
    And "alternative_employment_suggestions" is recommended because of rule "integration.no_livelihood"

  Scenario: A survivor with work but stigma from the community is in the grey area
    Given a case with:
      """
      harm: {status: trafficked, perpetrators: [acquaintance]}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: self
        stigma: [community]
        livelihood: true
      """
    When the case is assessed
    Then the integration outcome is "grey_area"
    And "community_leader_counselling" is recommended because of rule "integration.community_leader_counselling"
    And "alternative_employment_suggestions" is not recommended

  Scenario: A survivor accepted at home but without an income is in the grey area too
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        stigma: []
        livelihood: false
      """
    When the case is assessed
    Then the integration outcome is "grey_area"
    And "micro_credit" is recommended because of rule "integration.no_livelihood"
    And "family_counselling" is not recommended

  Scenario: A survivor rebuilding life with the extended family gets family counselling and training
    Given a case with:
      """
      harm: {status: trafficked, perpetrators: [recruiter_agent]}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        settings: [extended_family]
      """
    When the case is assessed
    Then "family_counselling" is recommended because of rule "integration.family_counselling"
    And "destigmatise_families_media" is recommended
    And "access_to_loans" is recommended
    And "literacy_training" is recommended
    And "workplace_placement" is not recommended

  Scenario: A survivor rebuilding life in the community gets counselling for community leaders and small loans
    Given a case with:
      """
      harm: {status: trafficked, perpetrators: [stranger]}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        settings: [community]
      """
    When the case is assessed
    Then "community_leader_counselling" is recommended because of rule "integration.community_leader_counselling"
    And "micro_credit" is recommended because of rule "integration.community"
    And "destigmatise_families_media" is recommended

  Scenario: A survivor rebuilding life through work is helped with training and placement
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: contract_over}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        settings: [workplace]
      """
    When the case is assessed
    Then "workplace_placement" is recommended because of rule "integration.workplace"
    And "job_training" is recommended
    And "family_counselling" is not recommended

  Scenario: A survivor who meets stigma at work is helped to find an employer who hires survivors
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: self
        settings: [workplace]
        stigma: [workplace]
        livelihood: true
      """
    When the case is assessed
    Then the integration outcome is "grey_area"
    And "workplace_placement" is recommended because of rule "integration.workplace_stigma"

  Scenario: A survivor rebuilding life on their own is told what support exists
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration: {support: self}
      """
    When the case is assessed
    Then "inform_about_services" is recommended because of rule "integration.self"

  Scenario: When I don't know whether the survivor has an income, no job advice is given as if they had none
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        stigma: []
      """
    When the case is assessed
    Then "alternative_employment_suggestions" is not recommended
    And "micro_credit" is not recommended
    And the question "integration.livelihood" is among the missing

  Scenario: When I don't know whether the survivor meets stigma, no stigma work is started for them
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        livelihood: true
      """
    When the case is assessed
    Then "family_counselling" is not recommended
    And "community_leader_counselling" is not recommended
    And the question "integration.stigma" is among the missing

  Scenario: She has rebuilt her life with the NGO's help and nothing else is known: she hears which services stay open to her
    Given a case with:
      """
      harm: {status: trafficked}
      integration:
        support: facilitated
        stigma: []
        livelihood: true
      """
    When the case is assessed
    Then "inform_about_services" is recommended because of rule "integration.successful_keep_informed"
    And "family_counselling" is not recommended
  # ---- issue 14 §1: the family took part in the trafficking ----

  Scenario: A woman sold by her husband is not handed back to his family without a safety assessment
    Given a case with:
      """
      person: {age: 23, gender: female, cross_border: true}
      harm: {status: trafficked, perpetrators: [spouse_partner], sectors: [sex_industry]}
      exit: {route: rescue_raid}
      location: {current: repatriated_voluntary}
      integration:
        support: facilitated
        settings: [extended_family, community]
        stigma: [family]
        livelihood: false
      """
    When the case is assessed
    Then the flag "Family took part in the trafficking" is raised with severity "high"
    And "With the person, assess whether contact with or return to the family is safe, before any family counselling or reunification" is recommended
    And "Provide counselling to family members, with the person's consent" is not recommended
    And "Provide counselling to community leaders, only with the person's consent since it may reveal their story" is not recommended
    And "Provide job training to the person" is recommended

  Scenario: She wants to go home although an uncle took part: her wish stands, and the advice is how to make it safe
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked, perpetrators: [family_member, recruiter_agent]}
      exit: {route: escape}
      location: {current: destination_outside_harm, wishes: return_home}
      """
    When the case is assessed
    Then "Have a system in place to repatriate the person quickly, if they ask for it" is recommended
    And "With the person, assess whether contact with or return to the family is safe, before any family counselling or reunification" is recommended
    And the flag "Return against the person's will (reverse trafficking)" is not raised

  Scenario: Once a safety assessment with her has found the family safe, the family may be counselled
    Given a case with:
      """
      harm: {status: trafficked, perpetrators: [spouse_partner]}
      exit: {route: escape}
      location: {current: repatriated_voluntary}
      integration: {support: facilitated, settings: [extended_family], family_safe: 'yes'}
      """
    When the case is assessed
    Then the flag "Family took part in the trafficking" is raised
    And "Provide counselling to family members, with the person's consent" is recommended
    And "With the person, assess whether contact with or return to the family is safe, before any family counselling or reunification" is not recommended

  Scenario: A supportive family that took no part keeps the family advice as it was
    Given a case with:
      """
      harm: {status: trafficked, perpetrators: [recruiter_agent, employer]}
      exit: {route: contract_over}
      location: {current: repatriated_voluntary}
      integration: {support: facilitated, settings: [extended_family], stigma: [family]}
      """
    When the case is assessed
    Then the flag "Family took part in the trafficking" is not raised
    And "Provide counselling to family members, with the person's consent" is recommended
    And "With the person, assess whether contact with or return to the family is safe, before any family counselling or reunification" is not recommended

  Scenario: Who took part is asked early, right after the person's own wishes, age and harm status
    Given a case with:
      """
      person: {age: 25}
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: repatriated_voluntary, wishes: stay}
      """
    When the case is assessed
    Then the question "harm.perpetrators" is asked next
