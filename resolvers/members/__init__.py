"""Members root fields: profiles, address books, privacy and the staff view of customers.

The loyalty root fields (`LoyaltyQuery`, `LoyaltyMutation`) are merged in here too.
"""

from strawberry.tools import merge_types

from resolvers.members.loyalty import LoyaltyMutation, LoyaltyQuery
from resolvers.members.profiles import ProfileMutation, ProfileQuery

MembersQuery = merge_types("MembersQuery", (ProfileQuery, LoyaltyQuery))
MembersMutation = merge_types("MembersMutation", (ProfileMutation, LoyaltyMutation))

__all__ = ["MembersMutation", "MembersQuery"]
