// Tests that drive real processes import the support target alone: it brings the drivers.
@_exported import RealProcesses
