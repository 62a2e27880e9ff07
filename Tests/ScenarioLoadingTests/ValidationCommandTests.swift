import ScenarioLoading
import Testing

/// `eventsim validate FILE…`: output lines, diagnostics and exit status.
@Suite struct ValidationCommandTests {
    @Test func validFilesPrintOkAndExitZero() {
        let result = ScenarioValidation.run(paths: [fixtures + "/full.yaml"])
        #expect(result.output == [fixtures + "/full.yaml: ok"])
        #expect(result.errors.isEmpty)
        #expect(result.exitCode == 0)
    }

    @Test func invalidFilesPrintTheirDiagnosticsAndExit65() {
        let result = ScenarioValidation.run(paths: [fixtures + "/many-errors.yaml", fixtures + "/full.yaml"])
        #expect(result.output == [fixtures + "/full.yaml: ok"])
        #expect(result.errors.count == 7)
        #expect(result.errors.allSatisfy { $0.hasPrefix(fixtures + "/many-errors.yaml:") && $0.contains(": error: ") })
        #expect(result.exitCode == 65)
    }

    @Test func aMissingFileIsAUsageErrorExit64() {
        let result = ScenarioValidation.run(paths: [fixtures + "/no-such.yaml", fixtures + "/many-errors.yaml"])
        #expect(result.errors.first == "error: cannot read scenario file '\(fixtures)/no-such.yaml'")
        #expect(result.errors.count == 8)
        #expect(result.exitCode == 64)
    }

    @Test func loadErrorDescriptionIsOneLinePerDiagnostic() throws {
        let error = try #require(throws: ScenarioLoadError.self) {
            try ScenarioLoader.load(text: "name: [", fileName: "x.yaml", baseDirectory: "")
        }
        #expect(error.diagnostics.count == 1)
        #expect(error.description == error.diagnostics[0].description)
        #expect(error.description.hasPrefix("x.yaml:2:1: "))  // the end of the text, where a value was due
        #expect(error.description.contains(": error: invalid YAML: "))
    }
}
