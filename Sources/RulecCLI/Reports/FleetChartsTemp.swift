import RuleFleet
final class FleetCharts { func observer(for a: FleetAccount) -> (any StepObserver)? { nil } }
