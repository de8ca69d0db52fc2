Feature: Where the person is after the trafficking event
  Still at the harm location, in the destination outside the harm, in a third country,
  home again by choice, sent home against their will ("reverse trafficking"), or held in
  a jail or remand home. A return follows the person's wishes, never the other way round.

  Scenario: A person still at the place where they were exploited is at the harm location
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the geographic outcome is "harm_location"
    And the person is in the harm environment
    And the flag "remains_in_harm" is raised

  Scenario: A survivor who left the harm and stays on in the destination country
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the geographic outcome is "destination_outside_harm"
    And the person is not in the harm environment

  Scenario: A survivor who asks to go home is helped to return quickly
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm, wishes: return_home}
      """
    When the case is assessed
    Then "quick_repatriation_on_request" is recommended because of rule "geography.return_requested"
    And the principle "voluntary_safe_return" applies
    And the flag "reverse_trafficking" is not raised

  Scenario: A survivor who wants to stay is never sent home quickly
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm, wishes: stay}
      """
    When the case is assessed
    Then "quick_repatriation_on_request" is not recommended
    And "explore_right_to_remain" is recommended because of rule "geography.wish_to_stay"
    And the principle "voluntary_safe_return" applies

  Scenario: A survivor who has not decided yet is not pushed to return
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm, wishes: undecided}
      """
    When the case is assessed
    Then "quick_repatriation_on_request" is not recommended
    And the flag "reverse_trafficking" is not raised

  Scenario: When I have not asked the survivor what they want, no return is arranged
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then "quick_repatriation_on_request" is not recommended
    And "explore_right_to_remain" is not recommended
    And the question "location.wishes" is among the missing

  Scenario: A survivor still at the harm location who asks to go home is helped to return quickly
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: harm_location, wishes: return_home}
      """
    When the case is assessed
    Then "quick_repatriation_on_request" is recommended
    And the flag "remains_in_harm" is raised

  Scenario: A survivor who moved on to a third country is linked with NGOs there
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: third_country, wishes: third_country}
      """
    When the case is assessed
    Then the geographic outcome is "third_country"
    And "cross_border_ngo_linkages" is recommended because of rule "geography.third_country_links"
    And "inform_about_services" is recommended
    And "explore_right_to_remain" is recommended
    And "quick_repatriation_on_request" is not recommended

  Scenario: A survivor who chose to come home is not a case of reverse trafficking
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: contract_over}
      location: {current: repatriated_voluntary, wishes: return_home}
      """
    When the case is assessed
    Then the geographic outcome is "repatriated_voluntary"
    And the flag "reverse_trafficking" is not raised
    And "quick_repatriation_on_request" is not recommended

  Scenario: A survivor sent home against their will is a case of reverse trafficking
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      location: {current: repatriated_involuntary}
      """
    When the case is assessed
    Then the geographic outcome is "repatriated_involuntary"
    And the flag "reverse_trafficking" is raised with severity "high"
    And "review_repatriation_decision" is recommended because of rule "geography.reverse_trafficking"
    And "legal_assistance_throughout" is recommended
    And the principle "voluntary_safe_return" applies

  Scenario: The authorities plan to send home a survivor who wants to stay
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: destination_outside_harm, wishes: stay, return_planned: true}
      """
    When the case is assessed
    Then the flag "reverse_trafficking" is raised
    And "review_repatriation_decision" is recommended
    And "explore_right_to_remain" is recommended
    And "quick_repatriation_on_request" is not recommended

  Scenario: A planned return for a survivor who has not yet decided is not a voluntary return
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: destination_outside_harm, wishes: undecided, return_planned: true}
      """
    When the case is assessed
    Then the flag "reverse_trafficking" is raised
    And "review_repatriation_decision" is recommended

  Scenario: A planned return that the survivor asked for is not reverse trafficking
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: destination_outside_harm, wishes: return_home, return_planned: true}
      """
    When the case is assessed
    Then the flag "reverse_trafficking" is not raised
    And "quick_repatriation_on_request" is recommended

  Scenario: No return is planned for a survivor who wants to stay, so there is no reverse trafficking
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: destination_outside_harm, wishes: stay, return_planned: false}
      """
    When the case is assessed
    Then the flag "reverse_trafficking" is not raised
    And "explore_right_to_remain" is recommended

  Scenario: When a return is planned but I don't know the survivor's wishes, I ask before flagging
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: destination_outside_harm, return_planned: true}
      """
    When the case is assessed
    Then the flag "reverse_trafficking" is not raised
    And the question "location.wishes" is among the missing

  Scenario: A person held in a jail or remand home is flagged as at risk of being stranded
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: jail_remand_home}
      """
    When the case is assessed
    Then the geographic outcome is "jail_remand_home"
    And the person is not in the harm environment
    And the flag "stranded_in_custody" is raised
    And the recovery type is "regressive_facilitated"

  Scenario: A person in a remand home who asks to go home is helped to return quickly
    Given a case with:
      """
      harm: {status: trafficked}
      location: {current: jail_remand_home, wishes: return_home}
      """
    When the case is assessed
    Then "quick_repatriation_on_request" is recommended
    And the flag "stranded_in_custody" is raised

  Scenario: When I don't know where the person is now, the question is asked
    Given a case with:
      """
      person: {age: 30}
      harm: {status: trafficked, perpetrators: [recruiter_agent]}
      exit: {route: escape}
      location: {wishes: undecided}
      """
    When the case is assessed
    Then the geographic outcome is "unknown"
    And the question "location.current" is asked next

  Scenario: A person trafficked within the country who wants to stay is not sent to immigration advice
    Given a case with:
      """
      harm: {status: trafficked}
      person: {cross_border: false}
      exit: {route: escape}
      location: {current: destination_outside_harm, wishes: stay}
      """
    When the case is assessed
    Then "explore_right_to_remain" is not recommended
    And "quick_repatriation_on_request" is not recommended

  # ---- issue 14 §7: a return is planned and nobody has asked her ----

  Scenario: The police plan to send a rescued woman home and nobody has asked her: her wish is asked first
    Given a case with:
      """
      person: {age: 25, gender: female, cross_border: true}
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      location: {current: destination_outside_harm, return_planned: true}
      """
    When the case is assessed
    Then the flag "Return planned, the person's wish not known" is raised with severity "high"
    And "Ask the person, alone and safely, what they want before any step of a return is taken" is recommended because of rule "geography.return_wishes_unknown"
    And "Have a system in place to repatriate the person quickly, if they ask for it" is not recommended
    And the question "location.wishes" is asked next

  Scenario: Once she has said she wants to go home, the planned return is no longer flagged as unasked
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: rescue_raid}
      location: {current: destination_outside_harm, return_planned: true, wishes: return_home}
      """
    When the case is assessed
    Then the flag "Return planned, the person's wish not known" is not raised
    And "Have a system in place to repatriate the person quickly, if they ask for it" is recommended
