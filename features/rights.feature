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
        charges_linked_to_trafficking: no
      """
    When the case is assessed
    Then the flag "non_punishment" is not raised
