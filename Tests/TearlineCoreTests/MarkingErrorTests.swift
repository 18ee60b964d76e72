import Foundation
import Testing
import TearlineCore

/// The error a parse throws, or `nil` when the text parses.
private func parseError(_ text: String) -> MarkingError? {
    do {
        _ = try Marking.parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite("Malformed markings name the bad part")
struct MarkingErrorTests {
    /// Each malformed input with the part its error must name.
    @Test(arguments: [
        // Classification.
        ("SEKRET//NOFORN", "SEKRET"),
        ("secret", "secret"),
        ("S//NOFORN", "S"),                      // abbreviation in a banner
        ("(SECRET//NF)", "SECRET"),              // full word in a portion mark
        ("TOPSECRET", "TOPSECRET"),
        // Dissemination controls in the wrong form.
        ("SECRET//NF", "NF"),
        ("SECRET//OC", "OC"),
        ("(S//NOFORN)", "NOFORN"),
        ("(S//ORCON)", "ORCON"),
        ("SECRET//NOFORN/NOFORN", "NOFORN"),
        ("SECRET//ORCON/ORCON", "ORCON"),
        ("SECRET//NOFORN/EYES ONLY", "EYES ONLY"),
        // NOFORN conflicts with REL TO.
        ("SECRET//NOFORN/REL TO USA, GBR", "NOFORN/REL TO USA, GBR"),
        ("(S//REL TO USA/NF)", "REL TO USA/NF"),
        // Empty segments and stray spaces.
        ("SECRET////NOFORN", ""),
        ("SECRET//", ""),
        ("SECRET// NOFORN", " NOFORN"),
        // REL TO.
        ("SECRET//REL TO USA, GBR, USA", "USA"),
        ("SECRET//REL TO USA,gbr", "gbr"),
        ("SECRET//REL TO USA,,GBR", "REL TO USA,,GBR"),
        ("SECRET//REL TO", "REL TO"),
        ("SECRET//REL USA", "REL USA"),
        ("SECRET//REL TO USA//REL TO GBR", "REL TO GBR"),
        ("SECRET//REL TO USA/REL TO GBR", "REL TO GBR"),
        ("SECRET//REL TO USA, GBR!", " GBR!"),
        // Compartments.
        ("UNCLASSIFIED//HCS", "HCS"),
        ("(U//SI)", "SI"),
        ("SECRET//HCS/HCS", "HCS"),
        ("SECRET//HCS//SI", "SI"),
        ("SECRET//NOFORN//HCS", "HCS"),
        ("SECRET//hcs", "hcs"),
        ("SECRET//HCS/NOFORN", "HCS"),
        // Order and repetition of segments.
        ("SECRET//NOFORN//ORCON", "ORCON"),
        ("SECRET//TLP:RED//NOFORN", "NOFORN"),
        ("SECRET//TLP:RED//TLP:AMBER", "TLP:AMBER"),
        ("TLP:RED//NOFORN", "NOFORN"),
        // TLP.
        ("TLP:PINK", "TLP:PINK"),
        ("SECRET//TLP:amber", "TLP:amber"),
        ("TLP:", "TLP:"),
        // Parentheses.
        ("(S//NF", "(S//NF"),
        ("S//NF)", "S//NF)"),
        (")", ")"),
        // Empty input.
        ("", ""),
        ("   ", "   "),
    ])
    func malformed(input: String, part: String) {
        let error = parseError(input)
        #expect(error != nil, "\(input) must be refused")
        #expect(error?.part == part, "\(input): wrong part named")
        #expect(error?.problem.isEmpty == false)
    }

    @Test func badOrganisationIdAfterSpaceIsNamed() {
        // The part is the entry as written, so it may keep the space after the comma.
        let error = parseError("SECRET//REL TO USA, gbr")
        #expect(error?.part.trimmingCharacters(in: .whitespaces) == "gbr")
        #expect(error?.problem == "not an organisation id in REL TO")
    }

    @Test func problemsSayWhatIsWrong() {
        #expect(parseError("SECRET//NOFORN/REL TO USA")?.problem == "NOFORN conflicts with REL TO")
        #expect(parseError("SECRET//REL TO USA, GBR, USA")?.problem == "listed twice in REL TO")
        #expect(parseError("UNCLASSIFIED//HCS")?.problem == "compartments require a classified marking")
        #expect(parseError("SEKRET")?.problem == "unknown classification")
        #expect(parseError("SECRET////NOFORN")?.problem == "empty segment between '//'")
        #expect(parseError("SECRET//NF")?.problem == "a banner writes NF as NOFORN")
        #expect(parseError("(S//NOFORN)")?.problem == "a portion mark writes NOFORN as NF")
        #expect(parseError("(S//NF")?.problem == "a portion mark must be enclosed in parentheses")
    }

    @Test func descriptionQuotesThePart() {
        let error = MarkingError(part: "SEKRET", problem: "unknown classification")
        #expect(error.description == "invalid marking: \"SEKRET\": unknown classification")
    }

    @Test func parseBannerRefusesAPortionMark() {
        do {
            _ = try Marking.parseBanner("(S//NF)")
            Issue.record("a portion mark was accepted as a banner")
        } catch {
            #expect(error.part == "(S//NF)")
        }
    }

    @Test func parsePortionRefusesABanner() {
        do {
            _ = try Marking.parsePortion("SECRET//NOFORN")
            Issue.record("a banner was accepted as a portion mark")
        } catch {
            #expect(error.part == "SECRET//NOFORN")
        }
    }
}
