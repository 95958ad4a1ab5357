import RuleBase
