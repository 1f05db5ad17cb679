"""The listing coach: a private quality score with next best actions, responsiveness and holiday mode for owners;
for the region's DKUPP, the dormant sellers, their follow-up and the region's active and dormant totals."""
