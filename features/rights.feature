Feature: Rights and justice
  The rights that hold for every trafficked person: non-punishment, confidentiality,
  safety before any legal step, and officials held to account.

  Scenario: A person charged with illegal entry, link to trafficking not yet known
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: true
        charges: [illegal_entry]
      """
    When the case is assessed
    Then the flag "non_punishment" is raised with severity "high"
    And "non_punishment_defence" is recommended because of rule "rights.non_punishment"

  Scenario: Charges unrelated to the trafficking do not raise non-punishment
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: false
        charges: [theft]
        charges_linked_to_trafficking: 'no'
      """
    When the case is assessed
    Then the flag "non_punishment" is not raised

  Scenario: A person charged with illegal stay that came from the trafficking is not punished for it
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: true
        charges: [illegal_stay]
        charges_linked_to_trafficking: 'yes'
        has_legal_support: true
      """
    When the case is assessed
    Then the flag "non_punishment" is raised with severity "high"
    And "non_punishment_defence" is recommended
    And "legal_assistance_throughout" is recommended because of rule "rights.non_punishment"
    And the principle "non_punishment" applies

  Scenario: An illegal entry charge I judged unrelated to the trafficking does not raise non-punishment
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: false
        charges: [illegal_entry]
        charges_linked_to_trafficking: 'no'
        has_legal_support: true
      """
    When the case is assessed
    Then the flag "non_punishment" is not raised
    And "non_punishment_defence" is not recommended

  Scenario: The same illegal entry charge with the link marked unknown is treated as possibly linked
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: false
        charges: [illegal_entry]
        charges_linked_to_trafficking: unknown
        has_legal_support: true
      """
    When the case is assessed
    Then the flag "non_punishment" is raised
    And "non_punishment_defence" is recommended because of rule "rights.non_punishment"

  Scenario: A person detained without charge is protected until we know whether it is linked to the trafficking
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: true
        charges: []
      """
    When the case is assessed
    Then the flag "non_punishment" is raised
    And the question "legal.charges_linked_to_trafficking" is among the missing

  Scenario: When I don't know yet whether the person is detained or charged, non-punishment is not raised
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {charges_linked_to_trafficking: 'yes'}
      """
    When the case is assessed
    Then the flag "non_punishment" is not raised
    And "non_punishment_defence" is not recommended
    And the question "legal.detained" is among the missing
    And the question "legal.charges" is among the missing

  Scenario: A person who is neither detained nor charged needs no non-punishment defence
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: false
        charges: []
      """
    When the case is assessed
    Then the flag "non_punishment" is not raised
    And "legal_assistance_throughout" is not recommended

  Scenario: A detained person without a lawyer gets legal assistance first, even for an unrelated charge
    Given a case with:
      """
      harm: {status: trafficked}
      legal:
        detained: true
        charges: [theft]
        charges_linked_to_trafficking: 'no'
        has_legal_support: false
      """
    When the case is assessed
    Then the flag "non_punishment" is not raised
    And "legal_assistance_throughout" is recommended because of rule "rights.detained_needs_lawyer"
    And the principle "access_to_justice" applies

  Scenario: A person whose photograph was published is protected from further exposure
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {media_exposure: true}
      """
    When the case is assessed
    Then the flag "confidentiality_risk" is raised with severity "high"
    And "no_publication_of_photos" is recommended because of rule "rights.confidentiality_breach"
    And "identity_confidential" is recommended
    And the principle "confidentiality" applies

  Scenario: A person who fears reprisals gets a safety plan before any legal step
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {fears_reprisal: true}
      """
    When the case is assessed
    Then the flag "reprisal_risk" is raised with severity "high"
    And "safety_planning" is recommended because of rule "rights.reprisal"

  Scenario: Police who took part in the trafficking are held to account
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {officials_complicit: true}
      """
    When the case is assessed
    Then the flag "official_misconduct" is raised with severity "high"
    And "prosecute_complicit_officials" is recommended because of rule "rights.officials_held_to_account"
    And "disciplinary_action_officials" is recommended

  Scenario: When I have not asked about press, threats or officials yet, none of those flags is raised
    Given a case with:
      """
      harm: {status: trafficked}
      exit: {route: escape}
      """
    When the case is assessed
    Then the flag "confidentiality_risk" is not raised
    And the flag "reprisal_risk" is not raised
    And the flag "official_misconduct" is not raised
    And the question "legal.media_exposure" is among the missing
    And the question "legal.fears_reprisal" is among the missing
    And the question "legal.officials_complicit" is among the missing

  Scenario: A survivor who wants the traffickers prosecuted gets legal assistance to the end of the case
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {wants_prosecution: 'yes'}
      """
    When the case is assessed
    Then "legal_assistance_throughout" is recommended because of rule "rights.wants_prosecution"
    And "compensation_claim" is recommended
    And the principle "legal_assistance_throughout_proceedings" applies
    And the principle "access_to_justice" applies

  Scenario: A survivor who fears reprisals but wants to prosecute gets both a safety plan and legal help
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {fears_reprisal: true, wants_prosecution: 'yes'}
      """
    When the case is assessed
    Then the flag "reprisal_risk" is raised
    And "safety_planning" is recommended
    And "legal_assistance_throughout" is recommended

  Scenario: A survivor who has not decided about going to court gets time to recover and reflect
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {wants_prosecution: undecided}
      """
    When the case is assessed
    Then "reflection_period" is recommended because of rule "rights.undecided_on_prosecution"
    And the principle "assistance_not_conditional_on_cooperation" applies

  Scenario: A survivor who does not want to go to court is not pushed towards it
    Given a case with:
      """
      harm: {status: trafficked}
      legal: {wants_prosecution: 'no'}
      """
    When the case is assessed
    Then "compensation_claim" is not recommended
    And "reflection_period" is not recommended
    And the principle "assistance_not_conditional_on_cooperation" applies

  Scenario: The rights that hold for everyone apply to every trafficked person
    Given a case with:
      """
      harm: {status: trafficked}
      """
    When the case is assessed
    Then the principle "human_rights_at_centre" applies
    And the principle "state_due_diligence" applies
    And the principle "do_no_harm" applies
    And the principle "participatory_integration" applies
    And the principle "informed_consent" applies
    And the principle "confidentiality" applies
    And the principle "assistance_not_conditional_on_cooperation" applies

  Scenario: A survivor who escaped safely, with nothing worrying in the file, raises no flag
    Given a case with:
      """
      person: {age: 30}
      harm: {status: trafficked}
      exit: {route: escape, health: []}
      location: {current: destination_outside_harm, wishes: return_home}
      recovery: {setting: none}
      legal:
        detained: false
        charges: []
        media_exposure: false
        fears_reprisal: false
        officials_complicit: false
      """
    When the case is assessed
    Then no flag is raised
    And "quick_repatriation_on_request" is recommended
