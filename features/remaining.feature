Feature: Remaining in the harm environment
  Some people stay in the harm environment although a chance to leave exists (the matrix's
  example: a sex worker in a brothel) - as a free agent, because they now see benefits,
  because the situation has become normal to them, or because they have given in out of
  fear of stigma. We respect the person's own assessment, reduce harm where they are, and
  make sure they know where to go if they decide to leave.

  Scenario: A person still in the brothel is flagged and told where to go if they decide to leave
    Given a case with:
      """
      harm:
        status: trafficked
        sectors: [sex_industry]
      exit: {route: not_exited}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the person is in the harm environment
    And the flag "remains_in_harm" is raised with severity "medium"
    And "info_where_to_go" is recommended because of rule "remaining.flag"
    And "harm_reduction_hiv_sti" is recommended
    And the principle "human_rights_at_centre" applies

  Scenario: A person who chose to stay as a free agent has that choice respected, with harm reduction
    Given a case with:
      """
      harm:
        status: trafficked
        sectors: [sex_industry]
      exit: {route: not_exited, remain_reason: free_agent}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the flag "remains_in_harm" is raised
    And "harm_reduction_hiv_sti" is recommended because of rule "remaining.chosen"
    And "improve_industry_conditions" is recommended
    And "enabling_environment_in_harm" is recommended
    And "alternative_skills_development" is recommended

  Scenario: A person who stays because they now feel they benefit keeps other options open
    Given a case with:
      """
      harm:
        status: trafficked
        sectors: [sex_industry]
      exit: {route: not_exited, remain_reason: agency_granted}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the flag "remains_in_harm" is raised
    And "alternative_skills_development" is recommended because of rule "remaining.chosen"
    And "improve_industry_conditions" is recommended

  Scenario: A person for whom the situation has become normal is offered other life options
    Given a case with:
      """
      harm:
        status: trafficked
        sectors: [sex_industry]
      exit: {route: not_exited, remain_reason: adaptation}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the flag "remains_in_harm" is raised
    And "alternative_life_options" is recommended because of rule "remaining.pressured"
    And "empowerment_support" is recommended

  Scenario: A person who has given in out of fear of stigma gets empowerment support at their own pace
    Given a case with:
      """
      harm:
        status: trafficked
        sectors: [sex_industry]
      exit: {route: not_exited, remain_reason: subjugation}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the flag "remains_in_harm" is raised
    And "empowerment_support" is recommended because of rule "remaining.pressured"
    And "alternative_life_options" is recommended
    And "hiv_harm_reduction_counselling" is recommended
    And "work_skills_training" is recommended

  Scenario: A mother living in a brothel is supported to keep her children outside, if she wishes
    Given a case with:
      """
      person: {has_children: true}
      harm:
        status: trafficked
        sectors: [sex_industry]
      exit: {route: not_exited}
      location: {current: harm_location}
      """
    When the case is assessed
    Then "children_outside_brothel" is recommended because of rule "remaining.children"

  Scenario: A person in a brothel who has no children is not offered help with children
    Given a case with:
      """
      person: {has_children: false}
      harm:
        status: trafficked
        sectors: [sex_industry]
      exit: {route: not_exited}
      location: {current: harm_location}
      """
    When the case is assessed
    Then "children_outside_brothel" is not recommended

  Scenario: A parent still in domestic servitude is not offered the brothel-specific support
    Given a case with:
      """
      person: {has_children: true}
      harm:
        status: trafficked
        sectors: [domestic_servitude]
      exit: {route: not_exited}
      """
    When the case is assessed
    Then the flag "remains_in_harm" is raised
    And "children_outside_brothel" is not recommended

  Scenario: A person who had a chance to leave but is still at the harm location remains in the harm environment
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: opportunity_to_leave}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the exit route is "opportunity_to_leave"
    And the geographic outcome is "harm_location"
    And the person is in the harm environment
    And the flag "remains_in_harm" is raised

  Scenario: A person who has left the harm is not flagged as remaining in it
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      location: {current: destination_outside_harm}
      """
    When the case is assessed
    Then the person is not in the harm environment
    And the flag "remains_in_harm" is not raised
    And "harm_reduction_hiv_sti" is not recommended

  Scenario: When I don't know why the person stays, the reason is asked rather than assumed
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: not_exited}
      location: {current: harm_location}
      """
    When the case is assessed
    Then the flag "remains_in_harm" is raised
    And the question "exit.remain_reason" is among the missing
    And "alternative_life_options" is not recommended
    And "improve_industry_conditions" is not recommended
