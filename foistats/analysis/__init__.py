"""The newsroom's questions, computed: `align` puts every force on the comparison year
(any start month) and refuses what does not line up, `change` the rise between two
years with honest zero and small bases, `rank` the ordering with ties and the forces
that could not be ranked, `comparison` the plumbing from data to ranking, `claims` and
`check_data` check quoted figures, `status` the forces × years coverage of a campaign.
Nothing here prints or writes files. It may import campaign, intake and model.
"""
