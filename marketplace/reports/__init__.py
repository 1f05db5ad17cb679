"""Reports: each region's and each agreement's figures for their staff, and the public impact aggregates."""
