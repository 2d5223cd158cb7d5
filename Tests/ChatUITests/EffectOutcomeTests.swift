import ChatAPI
import ChatUI
import Testing

/// What effects did, in words said in one place; a hint names the key as the person bound it.
@Suite struct EffectOutcomeTests {
    @Test func theArchiveHintNamesTheReboundKey() {
        var keys = KeyMap()
        #expect(EffectOutcome.settingsSaved(ChatSettingsRequest(isArchived: true)).sentence(keys: keys) == "Chat archived (A shows the archive).")
        keys.showArchive = "Z"
        #expect(EffectOutcome.settingsSaved(ChatSettingsRequest(isArchived: true)).sentence(keys: keys) == "Chat archived (Z shows the archive).")
    }

    @Test func aGroupThatAlreadyExistedIsSaidApartFromANewOne() {
        let keys = KeyMap()
        #expect(EffectOutcome.groupCreated("Team").sentence(keys: keys) == "Group Team created.")
        #expect(EffectOutcome.groupAlreadyExists("Team", known: true, keepsItsName: false).sentence(keys: keys)
            == "You already have a group with these people: Team.")
        #expect(EffectOutcome.groupAlreadyExists("Team", known: false, keepsItsName: true).sentence(keys: keys)
            == "You already had a group with these people: Team (opened; it keeps its name).")
    }
}
