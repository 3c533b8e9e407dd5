"""The site as an LTI 1.3 Advantage tool: Canvas, Moodle and other learning
platforms launch our assignments and coding exercises, sign their users in
with the course role the launch gives, and get the scores back (Assignment
and Grade Services), with the course roster (Names and Role Provisioning).

Built on pylti1p3 2.0.0 (pinned) behind a database-backed tool configuration
(toolconf.py), with the checks the library skips added in launch.py."""
