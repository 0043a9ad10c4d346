// Engagement SQL shared by both backends (see shared.rs for how the files
// are compiled into each backend crate): the directory, contacts, meetings.

use rightsdesk_domain::engagement::{
    ContactIdentity, ContactInput, MeetingActionInput, MeetingKind, MeetingLinks, OrganisationInput, RelationKind,
    StakeholderKind,
};
use rightsdesk_store::engagement::*;

include!("engagement/directory.rs");
include!("engagement/contacts.rs");
include!("engagement/meetings.rs");
