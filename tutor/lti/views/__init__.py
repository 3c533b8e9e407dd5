"""The LTI app's views: the protocol (login, launch, key set), deep linking,
and the teaching staff's grade sync and roster pages."""
