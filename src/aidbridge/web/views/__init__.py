"""The pages, one module per area. Views stay thin: they read through selectors and act
through services; refusals come back as ``core.errors`` exceptions."""
