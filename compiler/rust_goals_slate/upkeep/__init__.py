"""The program manager's chores beyond the RFC: the goal-owners team file, a new period's folder, the tracking-issue
plan and the monthly update post. Pure functions over the model (and over exports of GitHub data); the CLI reads
and writes the files."""
