"""PromQL analysis and catalog references, shared by every artifact kind."""
