"""After-sales: return policies, returns asked by shoppers and handled by staff, their
outcome (refund, store credit, exchange), and requests to cancel an unshipped order."""
