"""The terminal front end: a person's seat at the keyboard, hotseat hand-offs, and the text debrief."""
