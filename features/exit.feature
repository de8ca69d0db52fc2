Feature: Exit from the trafficking harm
  How the person left: not at all yet, an opportunity to leave, thrown out (often because
  of illness), the contract ended, escape, a rescue or police raid, or death. Each way out
  brings its own help: where to go, health care, confidentiality, and for a raid,
  protection from the raid itself and from being left in custody afterwards.

  Scenario: A person who is still held in the harm has not exited
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: not_exited}
      """
    When the case is assessed
    Then the exit route is "not_exited"
    And the person is in the harm environment
    And the flag "remains_in_harm" is raised

  Scenario: A person who took an opportunity to leave is told where to go for help
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: opportunity_to_leave}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the exit route is "opportunity_to_leave"
    And the person is not in the harm environment
    And "info_where_to_go" is recommended because of rule "exit.left_harm"
    And "counselling_life_options" is recommended
    And "identity_confidential" is recommended
    And the flag "urgent_health" is not raised

  Scenario: A person thrown out because they fell ill gets health care first
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: thrown_out}
      """
    When the case is assessed
    Then the exit route is "thrown_out"
    And the flag "urgent_health" is raised with severity "high"
    And "health_care" is recommended because of rule "exit.thrown_out_health"
    And "info_where_to_go" is recommended

  Scenario: A person whose contract ended is offered counselling on life options
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: contract_over}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the exit route is "contract_over"
    And the person is not in the harm environment
    And "counselling_life_options" is recommended
    And "info_where_to_go" is recommended
    And the flag "urgent_health" is not raised
    And "raid_no_revictimisation" is not recommended

  Scenario: A survivor who ran away is helped to find services and kept anonymous
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the exit route is "escape"
    And the person is not in the harm environment
    And "info_where_to_go" is recommended
    And "identity_confidential" is recommended
    And "health_care" is recommended
    And "avoid_judicial_custody" is not recommended

  Scenario: A survivor who escaped with injuries gets urgent health care
    Given a case with:
      """
      harm: {status: trafficked}
      exit:
        route: escape
        health: [injury]
      """
    When the case is assessed
    Then the flag "urgent_health" is raised with severity "high"
    And "health_care" is recommended because of rule "recovery.urgent_health"

  Scenario: A person rescued in a raid is not left in judicial custody
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      """
    When the case is assessed
    Then the exit route is "rescue_raid"
    And the person is not in the harm environment
    And "avoid_judicial_custody" is recommended because of rule "exit.rescue"
    And "raid_no_revictimisation" is recommended
    And "no_publication_of_photos" is recommended
    And "identity_confidential" is recommended

  Scenario: A person rescued in a raid whose photograph reached the press is protected from more exposure
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      legal: {media_exposure: true}
      """
    When the case is assessed
    Then the flag "confidentiality_risk" is raised with severity "high"
    And "no_publication_of_photos" is recommended because of rule "rights.confidentiality_breach"

  Scenario: A person rescued in a raid while it is still unclear whether they were trafficked is protected all the same
    Given a case with:
      """
      harm: {status: unclear}
      exit: {route: rescue_raid}
      """
    When the case is assessed
    Then the flag "screening_needed" is raised
    And "raid_no_revictimisation" is recommended
    And "avoid_judicial_custody" is recommended

  Scenario: A person who died in the harm gets funeral rites, not advice for the living
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the exit route is "death"
    And "funeral_rites" is recommended
    And "info_where_to_go" is not recommended
    And "counselling_life_options" is not recommended

  Scenario: When I don't know yet how the person left, the question is asked
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the exit route is "unknown"
    And the question "exit.route" is among the missing
    And "info_where_to_go" is not recommended
    And "avoid_judicial_custody" is not recommended

  # ---- issue 14 §2: every way out brings the general care after exit ----

  Scenario: Men rescued from a fishing boat get the general care after exit as well as the raid safeguards
    Given a case with:
      """
      person: {age: 30, gender: male, cross_border: true}
      harm: {status: trafficked, sectors: [fishing]}
      exit: {route: rescue_raid}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then "Make sure information on where to go is available to people who leave the exploitative situation (hotlines, posters, referrals within the site)" is recommended because of rule "exit.left_harm"
    And "Make sure counselling is available on life options, health care and trauma" is recommended
    And "Provide appropriate health care (voluntary, with no compulsory testing)" is recommended
    And "Keep the person's identity confidential" is recommended
    And "Work with the police so that raids and rescues do not further harm the people they remove" is recommended because of rule "exit.rescue"
    And "Make sure the person is not left stranded in judicial custody after a raid" is recommended

  Scenario: A person who has not left the harm yet is not given the care meant for after exit
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: not_exited}
      """
    When the case is assessed
    Then "Make sure counselling is available on life options, health care and trauma" is not recommended
    And "Provide appropriate health care (voluntary, with no compulsory testing)" is not recommended
