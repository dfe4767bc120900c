"""The e-archive: delivery of closed errands as E-ARK SIPs with CITS ERMS (`export`,
`erms`, `premis`, `mets`)."""
