/// The time average of a piecewise-constant quantity (queue length, busy servers, concurrency).
///
/// Call ``update(to:at:)`` at every change; ``reset(at:)`` discards the history (warm-up deletion) and keeps
/// the current level. Times are nanoseconds and must not decrease. - Complexity: O(1) per call.
public struct TimeWeightedStatistic: Sendable, Equatable {
    /// The current level.
    @inlinable public var value: Double { _value }
    @usableFromInline var _value: Double
    /// Largest level seen since the last reset.
    @inlinable public var maximum: Double { _maximum }
    @usableFromInline var _maximum: Double
    @usableFromInline var area: Double = 0
    @usableFromInline var lastChange: SimTime
    @usableFromInline var start: SimTime

    public init(value: Double = 0, at time: SimTime = 0) {
        _value = value
        _maximum = value
        self.lastChange = time
        self.start = time
    }

    /// Sets the level to `newValue` from time `time` on.
    @inlinable
    public mutating func update(to newValue: Double, at time: SimTime) {
        area += _value * Double(time - lastChange)
        lastChange = time
        _value = newValue
        if newValue > _maximum { _maximum = newValue }
    }

    /// Adds `delta` to the level at `time`.
    @inlinable
    public mutating func add(_ delta: Double, at time: SimTime) { update(to: value + delta, at: time) }

    /// Forgets everything before `time`.
    public mutating func reset(at time: SimTime) {
        area = 0
        lastChange = time
        start = time
        _maximum = _value
    }

    /// The time average over [last reset, `time`]; the current level for an empty interval.
    public func mean(at time: SimTime) -> Double {
        let span = Double(time - start)
        guard span > 0 else { return value }
        return (area + value * Double(time - lastChange)) / span
    }
}
