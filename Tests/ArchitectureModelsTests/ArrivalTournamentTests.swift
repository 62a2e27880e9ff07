import Stochastics
import Testing

@testable import ArchitectureModels

/// ``ArrivalTournament`` names the producer a scan of every producer's next arrival would: the smallest (time,
/// sequence), the lowest index among equal keys.
@Suite("Arrival tournament")
struct ArrivalTournamentTests {
    /// The scan the tournament replaces.
    private func scan(_ times: [Int64], _ sequences: [UInt64]) -> (producer: Int32, time: Int64, sequence: UInt64) {
        var earliest = 0
        for candidate in times.indices
        where times[candidate] < times[earliest]
            || (times[candidate] == times[earliest] && sequences[candidate] < sequences[earliest])
        {
            earliest = candidate
        }
        return (Int32(earliest), times[earliest], sequences[earliest])
    }

    @Test(arguments: [1, 2, 3, 4, 5, 17, 64, 300])
    func randomUpdatesNameTheProducerAScanWould(count: Int) {
        var tournament = ArrivalTournament(count: count)
        var times = [Int64](repeating: .max, count: count)
        var sequences = [UInt64](repeating: .max, count: count)
        #expect(tournament.first == scan(times, sequences))
        let random = RandomStream(seed: UInt64(count))
        var sequence: UInt64 = 0
        for _ in 0..<5_000 {
            let producer = random.uniformInt(below: count)
            let roll = random.uniformInt(below: 10)
            if roll == 0 {
                // A producer with no arrival left.
                (times[producer], sequences[producer]) = (.max, .max)
            } else {
                // Few distinct times, so that many keys tie on time and go by sequence.
                sequence += 1
                (times[producer], sequences[producer]) = (Int64(random.uniformInt(below: 8)), sequence)
            }
            tournament.update(producer, time: times[producer], sequence: sequences[producer])
            #expect(tournament.first == scan(times, sequences))
        }
    }

    @Test func producersWithNoArrivalLeftGoToTheLowestIndex() {
        var tournament = ArrivalTournament(count: 6)
        tournament.update(3, time: 10, sequence: 1)
        #expect(tournament.first == (3, 10, 1))
        tournament.update(3, time: .max, sequence: .max)
        #expect(tournament.first == (0, .max, .max))
        tournament.update(5, time: 10, sequence: 7)
        tournament.update(4, time: 10, sequence: 6)
        #expect(tournament.first == (4, 10, 6))
    }
}
