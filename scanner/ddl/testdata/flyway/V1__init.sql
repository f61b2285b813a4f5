# MySQL comment: ALTER TABLE clients ADD COLUMN nhs_number char(10);
CREATE TABLE `clients` (
  `id` int NOT NULL AUTO_INCREMENT,
  `nhs no` varchar(10) DEFAULT NULL COMMENT 'NHS number',
  `c2` varchar(20),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
