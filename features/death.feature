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

  # ---- issue 14 §8: the dead are not the living ----

  Scenario: A man who died in a foreign jail: no advice meant for a living person, and nobody asks whether he fears return
    Given a case with:
      """
      person: {age: 38, gender: male, cross_border: true}
      harm: {status: trafficked}
      exit: {route: death, religion: Islam}
      location: {current: jail_remand_home, wishes: stay}
      recovery: {setting: jail, months_in_custody: 3}
      legal: {detained: true, charges: [illegal_entry]}
      """
    When the case is assessed
    Then the flag "Non-punishment applies" is not raised
    And the flag "Stranded in custody" is not raised
    And "Seek the person's release from immigration or police detention to a safe place of their choosing: a trafficked person is not held for entering or staying irregularly" is not recommended
    And "Explore with the person legal ways to stay in the destination or move on to a third country, and check whether a return would put them at risk" is not recommended
    And "Make sure the person is not punished for unlawful acts that were a direct consequence of being trafficked (for example irregular entry or stay)" is not recommended
    And the question "legal.fears_return" is not among the missing
    And the question "legal.charges_linked_to_trafficking" is not among the missing
    And "Make sure proper funeral rites are performed, according to the person's religious belief" is recommended
    And "Bring the person's body home (repatriation of the remains)" is recommended

  Scenario: A record that the person feared return brings no non-refoulement review after the death
    Given a case with:
      """
      person: {cross_border: true}
      harm: {status: trafficked}
      exit: {route: death}
      location: {current: third_country}
      legal: {fears_return: true}
      """
    When the case is assessed
    Then "Before any return is planned, have a lawyer assess with the person the danger they fear on return and the protection from return (non-refoulement, refugee status or other legal ways to stay) that may follow" is not recommended
    And "Explore with the person legal ways to stay in the destination or move on to a third country, and check whether a return would put them at risk" is not recommended
    And "Make sure survivors know about the services available to them" is not recommended

  Scenario: After the death, the family's own access to justice and the person's confidentiality stay
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: death}
      legal: {wants_prosecution: 'yes', media_exposure: true, officials_complicit: true}
      """
    When the case is assessed
    Then the flag "Identity exposed" is raised
    And "Keep the person's identity confidential" is recommended
    And "Legal and other assistance for the whole of any criminal, civil or other case against suspected traffickers, from the report of the crime to the end of the prosecution" is recommended
    And "Arrest and prosecute officers who break the law, including officials who took part in or covered up the trafficking" is recommended
    And "Bring the person's body home (repatriation of the remains)" is recommended
