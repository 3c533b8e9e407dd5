"""Courses, their members and their assignments: what lets a real class run
on the site (a cohort, its roles, work due on dates, a gradebook per course).
Practice outside any course keeps working for every signed-in student."""
